"""What people do: post, delete, like, follow. Each is a real form post that answers 303 back;
under htmx the same route answers the partial to swap in place instead."""

from contextlib import suppress
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from starlette.responses import Response

from webapp import crud, ratelimit
from webapp.crud import follow_requests, posting, threads, timelines
from webapp.crud import media as crud_media
from webapp.crud.errors import InvalidPoll
from webapp.crud.polls import PollSpec
from webapp.crud.scheduled import Draft
from webapp.deps import SessionDep
from webapp.media.errors import MediaError
from webapp.models import SPOILER_MAX_CHARS, User
from webapp.schemas import DB_INT_MAX
from webapp.web import conversations, flash, forms, media_forms, scheduled
from webapp.web.accounts import FORM_ERROR, Viewer, login_redirect
from webapp.web.forms import Handle, TweetId
from webapp.web.pages import follow_context, timeline_context
from webapp.web.responses import see_other
from webapp.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)


OptionalId = Annotated[int | None, Form(ge=1, le=DB_INT_MAX)]


@router.post("/t")
def post_tweet(
    request: Request,
    session: SessionDep,
    user: Viewer,
    text: Annotated[str, Form()] = "",
    visibility: Annotated[str, Form(max_length=16)] = "public",
    in_reply_to_id: OptionalId = None,
    quote_of_id: OptionalId = None,
    image: Annotated[list[UploadFile | str], File()] = [],  # noqa: B006 (FastAPI copies it)
    alt: Annotated[list[str], Form()] = [],  # noqa: B006
    poll_option: Annotated[list[str], Form()] = [],  # noqa: B006
    poll_expires_in: Annotated[int, Form(ge=0, le=2**31)] = 86400,
    poll_multiple: Annotated[bool, Form()] = False,
    spoiler_text: Annotated[str, Form(max_length=4 * SPOILER_MAX_CHARS)] = "",
    sensitive: Annotated[str, Form(max_length=8)] = "",
    scheduled_for: Annotated[str, Form(max_length=40)] = "",
    tz_offset: Annotated[str, Form(max_length=8)] = "0",
) -> Response:
    """A post, a reply (in_reply_to_id) or a quote (quote_of_id), with its visibility and
    an optional content warning (spoiler_text) and sensitive images; from the home box, kept
    for later when it has a time (scheduled_for, webapp/web/scheduled.py)."""
    if user is None:
        return login_redirect(request, "/")
    ratelimit.enforce("post", request, user.id)
    uploads = media_forms.compose_uploads(image, alt)
    form = forms.tweet_form(text, visibility)
    if uploads and not text.strip():  # images alone make a post
        form.errors.pop("text", None)
    chosen = _options(form, spoiler_text, sensitive)
    form.values |= {"scheduled_for": scheduled_for, "tz_offset": tz_offset}
    target = {
        k: v for k, v in [("in_reply_to_id", in_reply_to_id), ("quote_of_id", quote_of_id)] if v
    }
    if not form.ok:
        if target:
            return conversations.reply_error(request, session, user, form, target)
        return _compose_error(request, session, user, form)
    poll = _poll(poll_option, poll_expires_in, poll_multiple)
    if scheduled_for.strip() and not target:
        draft = Draft(text=text, visibility=visibility, poll=poll, options=chosen)
        answer = scheduled.schedule_post(request, session, user, form, draft, uploads)
        if isinstance(answer, forms.Form):
            return _compose_error(request, session, user, answer)
        return answer
    post: dict[str, Any] = {"visibility": visibility, "options": chosen, **target, "poll": poll}
    try:
        tweet = (
            crud_media.post_uploads(session, owner_id=user.id, text=text, uploads=uploads, **post)
            if uploads
            else crud.create_tweet(session, owner_id=user.id, text=text, **post)
        )
    except MediaError as error:
        form.errors["images"] = error.message
        return _compose_error(request, session, user, form)
    except InvalidPoll as error:
        form.errors["poll"] = error.message
        return _compose_error(request, session, user, form)
    if target and is_htmx(request):
        return conversations.reply_posted(request, session, user, tweet.id)
    if not is_htmx(request):
        return see_other(f"/t/{in_reply_to_id}" if in_reply_to_id else "/")
    page = threads.one_card(session, tweet.id, user.id)
    context = {"tweet": page.tweets[0], "liked": set(), "page": page}
    return render(request, "partials/_posted.html", context, user=user)


def _poll(options: list[str], expires_in: int, multiple: bool) -> PollSpec | None:
    """A poll when any option is filled in (crud says what is wrong with it, if anything)."""
    filled = [option for option in options if option.strip()]
    return PollSpec(filled, expires_in, multiple) if filled else None


def _options(form: forms.Form, spoiler_text: str, sensitive: str) -> posting.PostOptions:
    """The content warning and the sensitive box, kept in the form; a bad one is its error."""
    form.values |= {"spoiler_text": spoiler_text, "sensitive": "1" if sensitive else ""}
    try:
        return posting.options(spoiler_text=spoiler_text, sensitive=bool(sensitive))
    except posting.InvalidOption as error:
        form.errors["spoiler_text"] = error.message
        return posting.PostOptions()


def _compose_error(request: Request, session: SessionDep, user: User, form: forms.Form) -> Response:
    """The box again with the message and the text kept. A plain post is sent back to the
    home page (post/redirect/get: the address bar never shows POST /t) with the text and the
    message in a flash note; only a note too big for a cookie gets the page right here."""
    if not is_htmx(request):
        response = see_other("/")
        if flash.attach(response, flash.Note(values=form.values, errors=form.errors)):
            return response
    compose = {"values": form.values, "errors": form.errors}
    context: dict[str, Any]
    if is_htmx(request):
        name, context = "partials/_compose.html", {"compose": compose}
    else:
        page = timelines.home_timeline(session, user_id=user.id)
        context = timeline_context(page, "/")
        name, context = "home.html", context | {"everyone": False, "compose": compose}
    return render(request, name, context, user=user, status_code=FORM_ERROR)


@router.get("/t/{tweet_id}/delete")
def confirm_delete(
    request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId
) -> Response:
    if user is None:
        return login_redirect(request, f"/t/{tweet_id}")
    tweet = crud.get_tweet_with_owner(session, tweet_id, user.id)
    if tweet.owner_id != user.id:
        raise crud.Forbidden("You can only delete your own tweets.")
    return render(request, "confirm_delete.html", {"tweet": tweet, "liked": set()}, user=user)


@router.post("/t/{tweet_id}/delete")
def delete_tweet(
    request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId
) -> Response:
    if user is None:
        return login_redirect(request, f"/t/{tweet_id}")
    crud.delete_tweet(session, tweet_id=tweet_id, user_id=user.id)
    if is_htmx(request):
        return Response()  # an empty swap removes the tweet from the page
    destination = forms.back(request, "/")
    gone = destination.split("?")[0] in (f"/t/{tweet_id}", f"/t/{tweet_id}/delete")
    return see_other(f"/@{user.username}" if gone else destination)


@router.post("/t/{tweet_id}/like")
def like(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    return _set_like(request, session, user, tweet_id, liked=True)


@router.post("/t/{tweet_id}/unlike")
def unlike(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    return _set_like(request, session, user, tweet_id, liked=False)


def _set_like(
    request: Request, session: SessionDep, user: User | None, tweet_id: int, *, liked: bool
) -> Response:
    if user is None:
        return login_redirect(request, forms.back(request, f"/t/{tweet_id}"))
    if liked:
        with suppress(crud.AlreadyLiked):  # a double click: what was wanted is already true
            crud.like(session, user_id=user.id, tweet_id=tweet_id)
    else:
        crud.unlike(session, user_id=user.id, tweet_id=tweet_id)
    if not is_htmx(request):  # back to the same tweet on the page, not the top of it
        return see_other(forms.back(request, f"/t/{tweet_id}") + f"#tweet-{tweet_id}")
    tweet = crud.get_tweet(session, tweet_id, user.id)
    session.refresh(tweet)  # like_count changed in SQL
    context = {"tweet": tweet, "liked": {tweet.id} if liked else set()}
    return render(request, "partials/_like_button.html", context, user=user)


@router.post("/@{handle}/follow")
def follow(request: Request, session: SessionDep, user: Viewer, handle: Handle) -> Response:
    return _set_follow(request, session, user, handle, follow=True)


@router.post("/@{handle}/unfollow")
def unfollow(request: Request, session: SessionDep, user: Viewer, handle: Handle) -> Response:
    return _set_follow(request, session, user, handle, follow=False)


def _set_follow(
    request: Request, session: SessionDep, user: User | None, handle: str, *, follow: bool
) -> Response:
    target = crud.get_user_by_username(session, handle)
    if user is None:
        return login_redirect(request, forms.back(request, f"/@{target.username}"))
    if follow:  # a locked account gets a request instead
        follow_requests.follow_or_request(session, follower_id=user.id, followee_id=target.id)
    else:  # also takes back a request not yet answered
        follow_requests.unfollow_or_cancel(session, follower_id=user.id, followee_id=target.id)
    if not is_htmx(request):
        return see_other(forms.back(request, f"/@{target.username}") + f"#follow-{target.id}")
    context = follow_context(session, user, target)
    return render(request, "partials/_follow_button.html", context, user=user)
