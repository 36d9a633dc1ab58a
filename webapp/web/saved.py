"""Bookmarks, pins and /@handle/ID on the web. Bookmark and Pin are real form posts that
answer 303 back to the same card; under htmx they answer the button to swap in place."""

from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from webapp import crud
from webapp.crud import pins, saved
from webapp.deps import SessionDep
from webapp.models import SPOILER_MAX_CHARS, User
from webapp.schemas import DB_INT_MAX
from webapp.web import flash, forms
from webapp.web.accounts import FORM_ERROR, Viewer, login_redirect
from webapp.web.forms import Handle, TweetId
from webapp.web.pages import follow_context, page_size, timeline_context, timeline_response
from webapp.web.responses import see_other
from webapp.web.templating import is_htmx, render, templates

router = APIRouter(include_in_schema=False)
Before = Annotated[int | None, Query(ge=1, le=DB_INT_MAX)]
Shown = Annotated[int, Query(ge=0, le=DB_INT_MAX)]
templates.env.globals["SPOILER_MAX_CHARS"] = SPOILER_MAX_CHARS  # the composer's limit


@router.get("/bookmarks")
def bookmarks_page(
    request: Request, session: SessionDep, user: Viewer, before: Before = None, shown: Shown = 0
) -> Response:
    """Your saved posts, newest bookmark first; only you see this page."""
    if user is None:
        return login_redirect(request, "/bookmarks")
    limit = page_size(before, shown)
    page = saved.bookmarks_page(session, user_id=user.id, before=before, limit=limit)
    context = timeline_context(page, "/bookmarks", shown if before else 0)
    return timeline_response(request, user, "bookmarks.html", context)


@router.get("/@{handle}/likes")
def likes_tab(
    request: Request,
    session: SessionDep,
    user: Viewer,
    handle: Handle,
    before: Before = None,
    shown: Shown = 0,
) -> Response:
    """Your own profile's Likes tab: what you liked. Likes are private, as on Twitter now:
    anyone else's Likes tab is not there (404)."""
    if user is None or user.username != handle.lower():
        raise crud.NotFound("Only you can see what you liked.")
    limit = page_size(before, shown)
    page = saved.likes_page(session, user_id=user.id, before=before, limit=limit)
    context = timeline_context(page, f"/@{user.username}/likes", shown if before else 0)
    if not is_htmx(request):
        context |= {"owner": user, "tab": "likes", **follow_context(session, user, user)}
    return timeline_response(request, user, "profile.html", context)


@router.post("/t/{tweet_id}/bookmark")
def bookmark(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    return _set_bookmark(request, session, user, tweet_id, saving=True)


@router.post("/t/{tweet_id}/unbookmark")
def unbookmark(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    return _set_bookmark(request, session, user, tweet_id, saving=False)


def _set_bookmark(
    request: Request, session: SessionDep, user: User | None, tweet_id: int, *, saving: bool
) -> Response:
    if user is None:
        return login_redirect(request, forms.back(request, f"/t/{tweet_id}"))
    change = saved.bookmark if saving else saved.unbookmark
    tweet = change(session, user_id=user.id, tweet_id=tweet_id)
    if not is_htmx(request):  # back to the same card on the page
        return see_other(forms.back(request, f"/t/{tweet_id}") + f"#tweet-{tweet.id}")
    context = {"tweet_id": tweet.id, "bookmarked": saving}
    return render(request, "partials/_bookmark_button.html", context, user=user)


@router.post("/t/{tweet_id}/pin")
def pin(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    return _set_pin(request, session, user, tweet_id, pinning=True)


@router.post("/t/{tweet_id}/unpin")
def unpin(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    return _set_pin(request, session, user, tweet_id, pinning=False)


def _set_pin(
    request: Request, session: SessionDep, user: User | None, tweet_id: int, *, pinning: bool
) -> Response:
    if user is None:
        return login_redirect(request, forms.back(request, f"/t/{tweet_id}"))
    back = forms.back(request, f"/@{user.username}") + f"#tweet-{tweet_id}"
    try:
        (pins.pin if pinning else pins.unpin)(session, user_id=user.id, tweet_id=tweet_id)
    except pins.PinRefused as refused:
        if is_htmx(request):
            context = {"tweet_id": tweet_id, "pinned": not pinning, "error": refused.message}
            return render(
                request, "partials/_pin_button.html", context, user=user, status_code=FORM_ERROR
            )
        response = see_other(back)
        flash.attach(response, flash.Note(message=refused.message))
        return response
    if not is_htmx(request):
        return see_other(back)
    context = {"tweet_id": tweet_id, "pinned": pinning, "error": ""}
    return render(request, "partials/_pin_button.html", context, user=user)


@router.get("/@{handle}/{tweet_id:int}")
def post_by_handle(
    session: SessionDep, user: Viewer, handle: Handle, tweet_id: TweetId
) -> Response:
    """Mastodon's address of a post (a status's `url`): the post's page, when the handle
    is its author's; 404 otherwise, as for a post you may not see."""
    tweet = crud.get_tweet_with_owner(session, tweet_id, user.id if user else None)
    if tweet.owner.username.lower() != handle.lower():
        raise crud.NotFound("Tweet not found")
    return RedirectResponse(f"/t/{tweet.id}", 302)
