"""Profiles and pictures on the web (issue 16): edit profile, the Media tab, follower lists.

Plain multipart forms that answer 303, so all of it works without JavaScript.
"""

from dataclasses import dataclass, field
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile, status
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from webapp import crud
from webapp.crud import featured, follow_lists, follow_requests
from webapp.crud import media as crud_media
from webapp.crud.follow_lists import Direction
from webapp.crud.profiles import ProfileChanges, ProfileInvalid, save_profile
from webapp.deps import SessionDep
from webapp.media import storage
from webapp.media.errors import MediaError
from webapp.models import User
from webapp.schemas import DB_INT_MAX
from webapp.web.accounts import FORM_ERROR, Viewer, login_redirect
from webapp.web.forms import Handle
from webapp.web.media_forms import chosen
from webapp.web.pages import (
    follow_context,
    requested_among,
    timeline_context,
    timeline_response,
)
from webapp.web.templating import is_htmx, render, templates

router = APIRouter(include_in_schema=False)
Before = Annotated[int | None, Query(ge=1, le=DB_INT_MAX)]
templates.env.globals["media_url"] = storage.url


def _shown_owner(session: SessionDep, handle: str) -> User:
    """The profile's owner, unless suspended (as the profile page itself answers)."""
    owner = crud.get_user_by_username(session, handle)
    if owner.suspended_at is not None:
        raise crud.NotFound("This account is suspended.")
    return owner


@router.get("/@{handle}/media")
def media_tab(
    request: Request, session: SessionDep, user: Viewer, handle: Handle, before: Before = None
) -> Response:
    owner = _shown_owner(session, handle)
    viewer_id = user.id if user else None
    page = crud_media.media_timeline(session, user_id=owner.id, before=before, viewer_id=viewer_id)
    context = timeline_context(page, f"/@{owner.username}/media")
    if not is_htmx(request):
        context |= {"owner": owner, "tab": "media", **follow_context(session, user, owner)}
        context["featured_tags"] = featured.featured_tags(session, user_id=owner.id)
    return timeline_response(request, user, "profile.html", context)


def _follow_list(
    request: Request,
    session: SessionDep,
    user: User | None,
    handle: str,
    direction: Direction,
    before: int | None,
) -> Response:
    owner = _shown_owner(session, handle)
    listing = follow_lists.page(session, user_id=owner.id, direction=direction, before=before)
    ids = [person.id for person in listing.users]
    mine = crud.following_ids(session, follower_id=user.id, user_ids=ids) if user else set()
    base = f"/@{owner.username}/{direction}"
    context = {
        "owner": owner,
        "direction": direction,
        "people": listing,
        "counts": crud.follower_counts(session, user_ids=ids),
        "following_ids": mine,
        "requested_ids": requested_among(session, user, listing.users),
        "more_url": f"{base}?before={listing.next_before}" if listing.next_before else None,
    }
    name = "partials/_people_page.html" if is_htmx(request) else "follow_list.html"
    return render(request, name, context, user=user)


@router.get("/@{handle}/followers")
def followers(
    request: Request, session: SessionDep, user: Viewer, handle: Handle, before: Before = None
) -> Response:
    return _follow_list(request, session, user, handle, "followers", before)


@router.get("/@{handle}/following")
def following(
    request: Request, session: SessionDep, user: Viewer, handle: Handle, before: Before = None
) -> Response:
    return _follow_list(request, session, user, handle, "following", before)


@dataclass
class ProfileForm:
    values: dict[str, str]
    pairs: list[tuple[str, str]]
    bot: bool
    errors: dict[str, str] = field(default_factory=dict)
    locked: bool = False


def _current(user: User) -> ProfileForm:
    pairs = [(f["name"], f["value"]) for f in user.profile_fields or ()]
    values = {"display_name": user.display_name, "bio": user.bio}
    return ProfileForm(values, pairs, user.bot, locked=user.locked)


@router.get("/settings/profile")
def edit_profile(request: Request, user: Viewer) -> Response:
    if user is None:
        return login_redirect(request, "/settings/profile")
    return render(request, "settings_profile.html", {"form": _current(user)}, user=user)


@router.post("/settings/profile")
def save_profile_form(
    request: Request,
    session: SessionDep,
    user: Viewer,
    display_name: Annotated[str, Form()] = "",
    bio: Annotated[str, Form()] = "",
    avatar: Annotated[UploadFile | str | None, File()] = None,
    header: Annotated[UploadFile | str | None, File()] = None,
    field_name: Annotated[list[str], Form()] = [],  # noqa: B006 (FastAPI copies it)
    field_value: Annotated[list[str], Form()] = [],  # noqa: B006
    bot: Annotated[str, Form()] = "",
    locked: Annotated[str, Form()] = "",
) -> Response:
    if user is None:
        return login_redirect(request, "/settings/profile")
    pairs = list(zip(field_name, field_value, strict=False))
    values = {"display_name": display_name, "bio": bio}
    form = ProfileForm(values, pairs, bot == "on", locked=locked == "on")
    changes = ProfileChanges(
        display_name=display_name,
        bio=bio,
        avatar=chosen(avatar),
        header=chosen(header),
        fields=pairs,
        bot=form.bot,
    )
    try:
        save_profile(session, user_id=user.id, changes=changes)
    except (MediaError, ProfileInvalid) as error:
        form.errors[_error_field(error, changes)] = error.message
        return render(
            request, "settings_profile.html", {"form": form}, user=user, status_code=FORM_ERROR
        )
    follow_requests.set_locked(session, user_id=user.id, locked=form.locked)
    return RedirectResponse(f"/@{user.username}", status.HTTP_303_SEE_OTHER)


def _error_field(error: Exception, changes: ProfileChanges) -> str:
    """Which field the message goes next to."""
    if isinstance(error, MediaError):
        return "avatar" if changes.avatar and not changes.header else "form"
    text = str(error)
    for name, word in (("display_name", "display name"), ("bio", "bio"), ("fields", "field")):
        if word in text.lower():
            return name
    return "form"
