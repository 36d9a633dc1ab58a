"""Editing your posts (their text and content warning) and reading their history; voting
in polls (issue 19). Under htmx the edit box replaces the card and the saved card replaces
the box; without JavaScript each is a page of its own, and a vote answers 303 back to where
it was cast."""

from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from webapp import crud
from webapp.crud import edits, polls, posting, threads
from webapp.crud.errors import AlreadyVoted, InvalidPoll, PollClosed
from webapp.deps import SessionDep
from webapp.models import SPOILER_MAX_CHARS, Tweet, User
from webapp.web import forms
from webapp.web.accounts import FORM_ERROR, Viewer, login_redirect
from webapp.web.cards import poll_card
from webapp.web.forms import TweetId
from webapp.web.responses import see_other
from webapp.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)


def _edit_box(
    request: Request, user: User, tweet: Tweet, form: forms.Form, status_code: int = 200
) -> Response:
    name = "partials/_edit_form.html" if is_htmx(request) else "edit.html"
    context = {"tweet": tweet, "edit": {"values": form.values, "errors": form.errors}}
    return render(request, name, context, user=user, status_code=status_code)


@router.get("/t/{tweet_id}/edit")
def edit_page(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    if user is None:
        return login_redirect(request, f"/t/{tweet_id}")
    tweet = edits.own_post(session, tweet_id=tweet_id, user_id=user.id)
    typed = {
        "text": tweet.text,
        "spoiler_text": tweet.spoiler_text,
        "sensitive": "1" if tweet.sensitive else "",
    }
    return _edit_box(request, user, tweet, forms.Form(typed))


def _edit_form(tweet: Tweet, text: str, spoiler_text: str, sensitive: str) -> forms.Form:
    """The new text, warning and sensitive box, checked as when posting; kept to show again."""
    form = forms.tweet_form(text)
    if tweet.media and not text.strip():  # a post with images may lose its words
        form.errors.pop("text", None)
    form.values |= {"spoiler_text": spoiler_text, "sensitive": "1" if sensitive else ""}
    try:
        posting.warning(spoiler_text)
    except posting.InvalidOption as error:
        form.errors["spoiler_text"] = error.message
    return form


@router.post("/t/{tweet_id}/edit")
def edit(
    request: Request,
    session: SessionDep,
    user: Viewer,
    tweet_id: TweetId,
    text: Annotated[str, Form()] = "",
    spoiler_text: Annotated[str, Form(max_length=4 * SPOILER_MAX_CHARS)] = "",
    sensitive: Annotated[str, Form(max_length=8)] = "",
) -> Response:
    """The new text and content warning (the box always sends it; empty: none). A post with
    images has the sensitive box too; one without is sensitive just when it has a warning."""
    if user is None:
        return login_redirect(request, f"/t/{tweet_id}")
    tweet = edits.own_post(session, tweet_id=tweet_id, user_id=user.id)
    form = _edit_form(tweet, text, spoiler_text, sensitive)
    if not form.ok:
        return _edit_box(request, user, tweet, form, FORM_ERROR)
    edits.edit_post(session, tweet_id=tweet_id, user_id=user.id, text=text,
                    spoiler_text=spoiler_text, sensitive=bool(sensitive))  # fmt: skip
    if not is_htmx(request):
        return see_other(f"/t/{tweet_id}")
    page = threads.one_card(session, tweet_id, user.id)
    context = {"tweet": page.tweets[0], "liked": page.liked, "page": page}
    return render(request, "partials/_tweet.html", context, user=user)


@router.get("/t/{tweet_id}/history")
def history(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    """Every version of a post anyone who may see it may read, newest first."""
    viewer_id = user.id if user else None
    tweet, versions = edits.history(session, tweet_id=tweet_id, viewer_id=viewer_id)
    author = crud.get_user(session, tweet.owner_id)
    context = {"tweet": tweet, "author": author, "versions": versions}
    return render(request, "history.html", context, user=user)


@router.post("/t/{tweet_id}/vote")
def vote(
    request: Request,
    session: SessionDep,
    user: Viewer,
    tweet_id: TweetId,
    choice: Annotated[list[int], Form()] = [],  # noqa: B006 (FastAPI copies it)
) -> Response:
    """Vote in a post's poll; the poll comes back with its results (or what went wrong)."""
    if user is None:
        return login_redirect(request, forms.back(request, f"/t/{tweet_id}"))
    error = None
    try:
        polls.vote(session, poll_id=tweet_id, user_id=user.id, choices=choice)
    except (InvalidPoll, PollClosed, AlreadyVoted) as refused:
        if not is_htmx(request):
            raise
        error = refused.message
    if not is_htmx(request):
        return see_other(forms.back(request, f"/t/{tweet_id}") + f"#tweet-{tweet_id}")
    page = threads.one_card(session, tweet_id, user.id)
    context: dict[str, Any] = {"card_id": tweet_id, "error": error}
    context["poll"] = poll_card(page.tweets[0], user, page)
    return render(request, "partials/_poll.html", context, user=user,
                  status_code=FORM_ERROR if error else 200)  # fmt: skip
