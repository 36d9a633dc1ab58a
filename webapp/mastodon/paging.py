"""Mastodon paging: id windows from the query string, and the Link header for the next ones."""

from collections.abc import Sequence
from dataclasses import replace
from typing import Annotated

from fastapi import Depends, Query, Request, Response
from sqlalchemy.orm import Session
from starlette.datastructures import URL

from webapp.crud import conversations, filter_rules, polls, posting, saved, statuses
from webapp.crud.hydrate import Page
from webapp.crud.polls import PollView
from webapp.crud.statuses import Window
from webapp.crud.timelines import liked_ids
from webapp.hosts import public_base
from webapp.mastodon import serializers
from webapp.models import Notification, Tweet, User

DEFAULT_LIMIT, MAX_LIMIT = 20, 40
# Bounded so a huge id is a 422, not a database overflow.
Id = Annotated[int | None, Query(ge=0, le=2**62)]


def window(
    max_id: Id = None, since_id: Id = None, min_id: Id = None, limit: int = DEFAULT_LIMIT
) -> Window:
    """Mastodon clamps `limit` rather than refusing it; so do we."""
    return Window(max_id, since_id, min_id, max(1, min(limit, MAX_LIMIT)))


WindowDep = Annotated[Window, Depends(window)]


def base_url(request: Request) -> str:
    """Absolute URLs start here: PUBLIC_URL, never a Host header of the client's choosing."""
    return public_base(request)


def link_header(
    request: Request,
    page: Sequence[Tweet] | Sequence[User] | Sequence[Notification],
    response: Response,
) -> None:
    if page:
        link_ids(request, response, newest=page[0].id, oldest=page[-1].id)


def link_ids(request: Request, response: Response, *, newest: int, oldest: int) -> None:
    """The Link header for a page whose cursor ids are not the rows' own (bookmarks, likes)."""
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in _CURSORS]
    url = URL(base_url(request).rstrip("/") + request.url.path)
    older = url.replace_query_params(**dict(kept), max_id=oldest)
    newer = url.replace_query_params(**dict(kept), min_id=newest)
    response.headers["Link"] = f'<{older}>; rel="next", <{newer}>; rel="prev"'


_CURSORS = ("max_id", "since_id", "min_id")


def context(
    session: Session,
    page: Sequence[Tweet] | Page,
    viewer: User | None,
    base: str,
    filter_context: str | None = None,
) -> serializers.Context:
    """Owners, their counts, reposted originals, mentions, polls, the viewer's likes, reposts
    and votes, and keyword filters for a page: a fixed number of queries (polls only if any).
    A Page of cards (crud.hydrate) brought its authors, originals, polls and the viewer's
    likes, reposts and bookmarks along: those are not asked for again."""
    if isinstance(page, Page):
        return _from_cards(session, page, viewer, base, filter_context)
    originals = conversations.originals(session, page)
    shown = [*page, *originals.values()]
    owner_ids = {tweet.owner_id for tweet in shown}
    ids = [t.id for t in shown]
    liked = liked_ids(session, user_id=viewer.id, tweet_ids=ids) if viewer else set()
    reposted = (
        conversations.reposted_ids(session, user_id=viewer.id, tweet_ids=ids) if viewer else set()
    )
    bookmarked = (
        saved.bookmarked_ids(session, user_id=viewer.id, tweet_ids=ids) if viewer else set()
    )
    return _context(
        session,
        shown,
        viewer,
        serializers.Context(
            base_url=base,
            users=statuses.users_by_id(session, owner_ids),
            liked=liked,
            originals=originals,
            reposted=reposted,
            bookmarked=bookmarked,
            filter_context=filter_context,
        ),
    )


def _from_cards(
    session: Session, page: Page, viewer: User | None, base: str, filter_context: str | None
) -> serializers.Context:
    originals = {t.repost_of.id: t.repost_of for t in page.tweets if t.repost_of is not None}
    shown = [*page.tweets, *originals.values()]
    return _context(
        session,
        shown,
        viewer,
        serializers.Context(
            base_url=base,
            users={t.owner_id: t.owner for t in shown},
            liked=set(page.liked),
            originals=originals,
            reposted=set(page.reposted),
            bookmarked=set(page.bookmarked),
            filter_context=filter_context,
        ),
        known=(dict(page.polls), dict(page.votes) if viewer else None),
    )


def _context(
    session: Session,
    shown: list[Tweet],
    viewer: User | None,
    ctx: serializers.Context,
    known: tuple[dict[int, PollView], dict[int, tuple[int, ...]] | None] | None = None,
) -> serializers.Context:
    """The rest, for either kind of page: counts, mentions, filters and apps; the polls and
    the viewer's votes in them, unless `known` brings them."""
    ids = [t.id for t in shown]
    if known is None:
        with_poll = [t.id for t in shown if t.has_poll]
        votes = polls.own_votes(session, user_id=viewer.id, poll_ids=with_poll) if viewer else None
        known = (polls.polls_for(session, with_poll), votes)
    return replace(
        ctx,
        polls=known[0],
        votes=known[1],
        stats=statuses.account_stats(session, {t.owner_id for t in shown}),
        mentions=conversations.mentions_of(session, ids),
        rules=filter_rules.rules_for(session, viewer),
        viewer_id=viewer.id if viewer else None,
        applications=posting.applications(session, ids),
    )


def statuses_page(
    session: Session,
    request: Request,
    response: Response,
    page: Sequence[Tweet] | Page,
    viewer: User | None,
    filter_context: str | None = None,
) -> list[dict[str, object]]:
    """A page of statuses; in a filter context, without those a `hide` filter catches (the
    Link header still follows the whole page, so paging goes on past them)."""
    tweets = page.tweets if isinstance(page, Page) else page
    link_header(request, tweets, response)
    ctx = context(session, page, viewer, base_url(request), filter_context)
    return [serializers.status(tweet, ctx) for tweet in unhidden(tweets, ctx)]


def unhidden(page: Sequence[Tweet], ctx: serializers.Context) -> list[Tweet]:
    where = ctx.filter_context
    if where is None or not ctx.rules.rules:
        return list(page)
    originals = ctx.originals
    return [
        tweet
        for tweet in page
        if not ctx.rules.hides(tweet, where, originals.get(tweet.repost_of_id or 0))
    ]


def link_header_ids(request: Request, ids: Sequence[int], response: Response) -> None:
    """The Link header for a page keyed by other ids than its entities' own (follow requests
    by request id, conversations by their last post), newest first."""
    if not ids:
        return
    kept = [(k, v) for k, v in request.query_params.multi_items() if k not in _CURSORS]
    url = URL(base_url(request).rstrip("/") + request.url.path)
    older = url.replace_query_params(**dict(kept), max_id=ids[-1])
    newer = url.replace_query_params(**dict(kept), min_id=ids[0])
    response.headers["Link"] = f'<{older}>; rel="next", <{newer}>; rel="prev"'
