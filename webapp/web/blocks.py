"""Block and mute on the web (issue 17): the forms on a profile, and /settings/blocks.

Each action is a plain form post answering 303 back to where it came from; under htmx it
answers the profile's block box again, with the follow box and (for a block or unblock)
the profile's posts swapped out of band, so the page shows the new state at once.
"""

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from webapp import crud
from webapp.crud import blocks, timelines
from webapp.crud.statuses import Window
from webapp.deps import SessionDep
from webapp.models import User
from webapp.schemas import DB_INT_MAX
from webapp.web import forms
from webapp.web.accounts import Viewer, login_redirect
from webapp.web.forms import Handle
from webapp.web.pages import follow_context, timeline_context
from webapp.web.responses import see_other
from webapp.web.templating import is_htmx, render, templates

router = APIRouter(include_in_schema=False)
templates.env.globals["mute_durations"] = blocks.DURATIONS
PAGE = 40
Before = Annotated[int | None, Query(ge=1, le=DB_INT_MAX)]
Change = Callable[[int, int], None]  # (you, them): one of crud.blocks' four actions


def _act(
    request: Request, session: SessionDep, user: User | None, handle: str, change: Change,
    *, posts: bool,
) -> Response:  # fmt: skip
    """Do `change` between you and @handle; `posts`: whether their posts show differently
    on the profile afterwards (block and unblock), so the htmx answer swaps them too."""
    target = crud.get_user_by_username(session, handle)
    if user is None:
        return login_redirect(request, forms.back(request, f"/@{target.username}"))
    change(user.id, target.id)
    if not is_htmx(request):
        return see_other(forms.back(request, f"/@{target.username}"))
    return _controls(request, session, user, target, posts=posts)


def _controls(
    request: Request, session: Session, user: User, target: User, *, posts: bool
) -> Response:
    """The block box, the follow box out of band, and the profile's posts when they change."""
    context = follow_context(session, user, target) | {"owner": target, "oob": True}
    if posts and not context["relation"].blocking:
        page = timelines.user_timeline(session, user_id=target.id, viewer_id=user.id)
        context |= timeline_context(page, f"/@{target.username}")
    elif posts:
        context |= {"page": timelines.Page([], None), "liked": set(), "more_url": None}
    context["posts"] = posts
    return render(request, "partials/_block_response.html", context, user=user)


@router.post("/@{handle}/block")
def block(request: Request, session: SessionDep, user: Viewer, handle: Handle) -> Response:
    def change(me: int, them: int) -> None:
        blocks.block(session, blocker_id=me, blocked_id=them)

    return _act(request, session, user, handle, change, posts=True)


@router.post("/@{handle}/unblock")
def unblock(request: Request, session: SessionDep, user: Viewer, handle: Handle) -> Response:
    def change(me: int, them: int) -> None:
        blocks.unblock(session, blocker_id=me, blocked_id=them)

    return _act(request, session, user, handle, change, posts=True)


@router.post("/@{handle}/mute")
def mute(
    request: Request,
    session: SessionDep,
    user: Viewer,
    handle: Handle,
    duration: Annotated[str, Form(max_length=12)] = "0",
) -> Response:
    if duration not in blocks.DURATIONS:
        raise blocks.BadDuration("Choose how long to mute: forever, 1 hour, 1 day or 7 days.")

    def change(me: int, them: int) -> None:
        blocks.mute(session, muter_id=me, muted_id=them, duration=int(duration))

    return _act(request, session, user, handle, change, posts=False)


@router.post("/@{handle}/unmute")
def unmute(request: Request, session: SessionDep, user: Viewer, handle: Handle) -> Response:
    def change(me: int, them: int) -> None:
        blocks.unmute(session, muter_id=me, muted_id=them)

    return _act(request, session, user, handle, change, posts=False)


@router.get("/settings/blocks")
def settings_page(
    request: Request,
    session: SessionDep,
    user: Viewer,
    blocked_before: Before = None,
    muted_before: Before = None,
) -> Response:
    """The people you blocked and muted, newest account first, each list paged on its own."""
    if user is None:
        return login_redirect(request, "/settings/blocks")
    blocked = blocks.blocked_accounts(
        session, user_id=user.id, window=Window(max_id=blocked_before, limit=PAGE + 1)
    )
    muted = blocks.muted_accounts(
        session, user_id=user.id, window=Window(max_id=muted_before, limit=PAGE + 1)
    )
    context = {
        "blocked": blocked[:PAGE],
        "muted": muted[:PAGE],
        "more_blocked": blocked[PAGE - 1].id if len(blocked) > PAGE else None,
        "more_muted": muted[PAGE - 1].user.id if len(muted) > PAGE else None,
    }
    return render(request, "settings_blocks.html", context, user=user)
