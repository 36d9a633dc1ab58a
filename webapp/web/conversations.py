"""Conversations on the web: a post's page (its thread), replying and quoting (in place under
htmx, a page of their own without JavaScript), reposting and undoing it."""

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import RedirectResponse
from starlette.responses import Response

from webapp.crud import conversations, threads
from webapp.crud.hydrate import Page
from webapp.deps import SessionDep
from webapp.models import Tweet, User
from webapp.schemas import DB_INT_MAX
from webapp.web import forms
from webapp.web.accounts import FORM_ERROR, Viewer, login_redirect
from webapp.web.filtering import filtered_thread
from webapp.web.forms import TweetId
from webapp.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

After = Annotated[int | None, Query(ge=1, le=DB_INT_MAX)]


@router.get("/t/{tweet_id}")
def tweet_page(
    request: Request,
    session: SessionDep,
    user: Viewer,
    tweet_id: TweetId,
    after: After = None,
    others: bool = False,
) -> Response:
    """The thread: ancestors (oldest first), the post, then a page of its replies."""
    viewer_id = user.id if user else None
    cursor = threads.Cursor(after, others) if after is not None else None
    thread = threads.thread(session, tweet_id, viewer_id, cursor)
    thread = filtered_thread(session, request, user, thread)
    more = thread.next_replies
    context: dict[str, Any] = {
        "thread": thread,
        "more_url": f"/t/{tweet_id}?after={more.after}&others={int(more.others)}" if more else None,
    }
    if is_htmx(request) and after is not None:  # the scroll fragment: more replies only
        return render(request, "partials/_replies_page.html", context, user=user)
    post = thread.post.tweets[0]
    context["reply"] = reply_box(post, thread.post, user, parent_id=post.id)
    return render(request, "tweet.html", context, user=user)


def reply_box(
    post: Tweet,
    card: Page,
    user: User | None,
    *,
    parent_id: int | None = None,
    quote_id: int | None = None,
) -> dict[str, Any]:
    """An empty reply box, prefilled with the conversation's @handles (not your own); a
    reply to a followers-only or direct post starts with the same visibility."""
    handles = [post.owner.username, *sorted(card.mentions.get(post.id, ()))]
    mine = user.username if user else None
    prefill = " ".join(dict.fromkeys(f"@{h}" for h in handles if h != mine))
    text = f"{prefill} " if parent_id and prefill else ""
    visibility = post.visibility if parent_id and post.visibility != "unlisted" else "public"
    return {
        "parent_id": parent_id,
        "quote_id": quote_id,
        "values": {"text": text, "visibility": visibility},
        "errors": {},
    }


@router.get("/t/{tweet_id}/reply")
def reply_page(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    return _compose_page(request, session, user, tweet_id, quote=False)


@router.get("/t/{tweet_id}/quote")
def quote_page(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    return _compose_page(request, session, user, tweet_id, quote=True)


def _compose_page(
    request: Request, session: SessionDep, user: User | None, tweet_id: int, *, quote: bool
) -> Response:
    if user is None:
        return login_redirect(request, f"/t/{tweet_id}")
    card = threads.one_card(session, tweet_id, user.id)
    post = card.tweets[0]
    if quote:
        reply = reply_box(post, card, user, quote_id=post.id)
    else:
        reply = reply_box(post, card, user, parent_id=post.id)
    context = {"card": card, "reply": reply}
    name = "partials/_reply_compose.html" if is_htmx(request) else "reply.html"
    return render(request, name, context, user=user)


def reply_error(
    request: Request, session: SessionDep, user: User, form: forms.Form, target: dict[str, int]
) -> Response:
    """The reply or quote box again, with the message and the text kept."""
    parent_id, quote_id = target.get("in_reply_to_id"), target.get("quote_of_id")
    card = threads.one_card(session, parent_id or quote_id or 0, user.id)
    reply: dict[str, Any] = {"parent_id": parent_id, "quote_id": quote_id}
    reply |= {"values": form.values, "errors": form.errors}
    name = "partials/_reply_compose.html" if is_htmx(request) else "reply.html"
    context = {"card": card, "reply": reply}
    return render(request, name, context, user=user, status_code=FORM_ERROR)


def reply_posted(request: Request, session: SessionDep, user: User, tweet_id: int) -> Response:
    page = threads.one_card(session, tweet_id, user.id)
    context = {"tweet": page.tweets[0], "page": page}
    return render(request, "partials/_reply_posted.html", context, user=user)


@router.post("/t/{tweet_id}/repost")
def repost(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    return _set_repost(request, session, user, tweet_id, reposted=True)


@router.post("/t/{tweet_id}/unrepost")
def unrepost(request: Request, session: SessionDep, user: Viewer, tweet_id: TweetId) -> Response:
    return _set_repost(request, session, user, tweet_id, reposted=False)


def _set_repost(
    request: Request, session: SessionDep, user: User | None, tweet_id: int, *, reposted: bool
) -> Response:
    if user is None:
        return login_redirect(request, forms.back(request, f"/t/{tweet_id}"))
    change = conversations.repost if reposted else conversations.unrepost
    tweet = change(session, user_id=user.id, tweet_id=tweet_id)
    if not is_htmx(request):
        return RedirectResponse(forms.back(request, f"/t/{tweet_id}"), status.HTTP_303_SEE_OTHER)
    context = {"tweet": tweet, "reposted": reposted}
    return render(request, "partials/_repost_button.html", context, user=user)
