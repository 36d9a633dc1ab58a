"""Everything a tweet card shows, loaded in the statement that picks the tweets.

`cards(query, viewer_id)` takes a select of Tweet rows (already filtered, ordered, limited)
and joins what a card needs: the author; for a repost, the original and its author; the
handle a reply answers; the quoted post and its author, only when the viewer may see it;
and columns: whether the viewer liked, reposted and bookmarked the post shown, the handles
it mentions, and the options the viewer chose in its poll. One statement, whatever the page
size: no query per card; a page that shows polls adds one for them (polls.polls_for).
"""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Select,
    String,
    and_,
    bindparam,
    case,
    cast,
    exists,
    false,
    func,
    literal_column,
    null,
    select,
)
from sqlalchemy.orm import aliased, contains_eager, object_session

from webapp.crud.polls import PollView, polls_for
from webapp.crud.visibility import visible_to
from webapp.models import Bookmark, Like, Mention, PollVote, Tweet, User

Viewer = int | ColumnElement[int] | None


def viewer_param(signed_in: bool) -> BindParameter[int] | None:
    """The viewer of a card statement built once per shape (bound per call as "viewer"),
    or None for a visitor's shape."""
    return bindparam("viewer", type_=Tweet.owner_id.type) if signed_in else None


def with_viewer(viewer_id: int | None, **values: Any) -> dict[str, Any]:
    """Parameters for a statement built with viewer_param: the viewer's id when signed in."""
    return values if viewer_id is None else {**values, "viewer": viewer_id}


class QuotedPost(NamedTuple):
    """What a quote's card shows of the post it embeds."""

    id: int
    text: str
    created_at: datetime
    author_username: str
    author_display_name: str

    @property
    def author_name(self) -> str:
        return self.author_display_name or self.author_username  # as User.name


@dataclass(frozen=True)
class Page:
    tweets: list[Tweet]
    # Pass as `before` to get the next page; None when this page is the last.
    next_before: int | None
    # Ids of the posts shown on this page (the original, for a repost) the viewer liked.
    liked: frozenset[int] = frozenset()
    # ... and reposted.
    reposted: frozenset[int] = frozenset()
    # The handles each shown post mentions that belong to someone (the others stay text).
    mentions: Mapping[int, frozenset[str]] = field(default_factory=dict)
    # The handle each shown reply answers.
    reply_to: Mapping[int, str] = field(default_factory=dict)
    # The post each shown quote embeds, when the viewer may see it (else None).
    quoted: Mapping[int, QuotedPost | None] = field(default_factory=dict)
    # The polls of the shown posts that have one, and the options the viewer chose in each.
    polls: Mapping[int, PollView] = field(default_factory=dict)
    votes: Mapping[int, tuple[int, ...]] = field(default_factory=dict)
    # The titles of the viewer's `warn` filters that catch each shown post (issue 17; set by
    # webapp/crud/filter_rules.apply): its card is collapsed behind them.
    warned: Mapping[int, str] = field(default_factory=dict)
    # Ids of the shown posts the viewer bookmarked.
    bookmarked: frozenset[int] = frozenset()
    # The profile's pinned posts: their cards say "Pinned".
    pinned: bool = False


def shown(tweet: Tweet) -> Tweet:
    """The post a card shows: the original, for a repost."""
    return tweet.repost_of if tweet.repost_of is not None else tweet


# Built once: an alias made per call costs SQLAlchemy milliseconds of adaptation work.
_ORIG, _QUOTED, _MINE = (aliased(Tweet, name=n) for n in ("orig", "quoted", "my_repost"))
_ORIG_OWNER, _QUOTED_OWNER = aliased(User, name="orig_owner"), aliased(User, name="q_owner")
_NAMED, _REPLIED = aliased(User, name="named"), aliased(User, name="replied")
# Its own alias: the bookmarks page joins Bookmark itself, which the probe must not correlate to.
_SAVED = aliased(Bookmark, name="my_bookmark")
_SHOWN_ID = func.coalesce(Tweet.repost_of_id, Tweet.id)
# The separator of aggregate_strings, written into the SQL: given as a str, SQLAlchemy makes it
# a literal_execute parameter and rewrites the statement's text on every execution.
_SPACE: Any = literal_column("' '")
_HANDLES = (
    select(func.aggregate_strings(_NAMED.username, _SPACE))
    .join(Mention, Mention.user_id == _NAMED.id)
    .where(Mention.tweet_id == _SHOWN_ID)
    .scalar_subquery()
    .label("mentioned")
)
_REPLY_TO = (
    select(_REPLIED.username)
    .where(_REPLIED.id == func.coalesce(_ORIG.in_reply_to_user_id, Tweet.in_reply_to_user_id))
    .scalar_subquery()
    .label("reply_to")
)


def _my_votes(viewer_id: int | ColumnElement[int]) -> ColumnElement[Any]:
    """The positions the viewer chose in the shown post's poll ("0 2"), looked up only for
    a post that has a poll."""
    chosen = (
        select(func.aggregate_strings(cast(PollVote.position, String), _SPACE))
        .where(PollVote.poll_id == _SHOWN_ID, PollVote.user_id == viewer_id)
        .scalar_subquery()
    )
    has_poll = func.coalesce(_ORIG.has_poll, Tweet.has_poll)
    return case((has_poll, chosen), else_=null()).label("my_votes")


def _columns(viewer_id: Viewer) -> list[ColumnElement[Any]]:
    """Per-row lookups as scalar subqueries: each is planned on its own, so the statement's
    join search stays small (PostgreSQL spent 8-45 ms planning a ten-table join)."""
    if viewer_id is None:
        no_like, no_repost, no_bookmark = (
            false().label(name) for name in ("liked", "reposted", "bookmarked")
        )
        return [no_like, no_repost, _HANDLES, _REPLY_TO, null().label("my_votes"), no_bookmark]
    liked = exists().where(Like.owner_id == viewer_id, Like.tweet_id == _SHOWN_ID)
    reposted = exists().where(_MINE.repost_of_id == _SHOWN_ID, _MINE.owner_id == viewer_id)
    saved = exists().where(_SAVED.user_id == viewer_id, _SAVED.tweet_id == _SHOWN_ID)
    return [
        liked.label("liked"),
        reposted.label("reposted"),
        _HANDLES,
        _REPLY_TO,
        _my_votes(viewer_id),
        saved.label("bookmarked"),
    ]


def cards(query: Select[Any], viewer_id: Viewer) -> Select[Any]:
    """`query` (a select of Tweet) with the card's joins and columns added: each row is
    (tweet, the quoted post's five columns (None when there is none or the viewer may not
    see it), liked, reposted, mentioned handles, reply-to handle, poll votes, bookmarked),
    then any columns the caller adds after."""
    orig, quoted = _ORIG, _QUOTED
    orig_owner, quoted_owner = _ORIG_OWNER, _QUOTED_OWNER
    quote_id = func.coalesce(orig.quote_of_id, Tweet.quote_of_id)
    query = (
        query.add_columns(*_QUOTED_COLUMNS, *_columns(viewer_id))
        .join(User, User.id == Tweet.owner_id)
        .outerjoin(orig, orig.id == Tweet.repost_of_id)
        .outerjoin(orig_owner, orig_owner.id == orig.owner_id)
        .outerjoin(quoted, and_(quoted.id == quote_id, visible_to(viewer_id, quoted)))
        .outerjoin(quoted_owner, quoted_owner.id == quoted.owner_id)
    )
    return query.options(
        contains_eager(Tweet.owner).load_only(*_shown(User)),
        contains_eager(Tweet.repost_of.of_type(orig))
        .contains_eager(orig.owner.of_type(orig_owner))
        .load_only(*_shown(orig_owner)),
    )


# The quoted post as plain columns, not a second Tweet and User: a quote's card shows five
# values, and as entities they were 29 more columns on every row (each described, decoded
# and loaded into an object), on every page.
_QUOTED_COLUMNS = (
    _QUOTED.id,
    _QUOTED.text,
    _QUOTED.created_at,
    _QUOTED_OWNER.username,
    _QUOTED_OWNER.display_name,
)


# What a card (web) or a Status's account (Mastodon) shows of an author. The rest of a
# User (email, password hash, flags, feed state) stays out of the statement: three authors
# a row, it was 24 of the row's 120 columns, each decoded and each a Column built by the
# driver on every page.
_AUTHOR = (
    "id", "username", "display_name", "bio", "created_at", "avatar_key", "header_key",
    "profile_fields", "bot", "locked",
)  # fmt: skip


def _shown(user: Any) -> list[Any]:
    return [getattr(user, name) for name in _AUTHOR]


def paged(rows: Iterable[Any], limit: int, cursor: Callable[[Any], int] | None = None) -> Page:
    """A Page from up to limit + 1 card rows: the extra row says a next page exists. A post
    shows once per page, however many of the people you follow reposted it. `cursor` picks
    the next page's key from the last row (the tweet's id unless told otherwise)."""
    fetched = list(rows)
    seen: set[int] = set()
    tweets: list[Tweet] = []
    liked, reposted, saved = set(), set(), set()
    mentions: dict[int, frozenset[str]] = {}
    reply_to: dict[int, str] = {}
    quotes: dict[int, QuotedPost | None] = {}
    votes: dict[int, tuple[int, ...]] = {}
    for row in fetched[:limit]:
        tweet = row[0]
        is_liked, is_reposted, handles, answered, chosen, is_saved = row[6:12]
        post = shown(tweet)
        post_id = post.id  # read once: each read of a mapped attribute is a descriptor call
        if post_id in seen:
            continue
        seen.add(post_id)
        tweets.append(tweet)
        if is_liked:
            liked.add(post_id)
        if is_reposted:
            reposted.add(post_id)
        if is_saved:
            saved.add(post_id)
        mentions[post_id] = frozenset(handles.split()) if handles else frozenset()
        if answered:
            reply_to[post_id] = answered
        quotes[post_id] = QuotedPost(*row[1:6]) if row[1] is not None else None
        if chosen:
            votes[post_id] = tuple(sorted(int(p) for p in chosen.split()))
    key = cursor or (lambda row: int(row[0].id))
    last = key(fetched[limit - 1]) if len(fetched) > limit and limit else None
    page = Page(
        tweets,
        last,
        frozenset(liked),
        frozenset(reposted),
        mentions,
        reply_to,
        quotes,
        bookmarked=frozenset(saved),
    )
    return replace(page, polls=_polls(tweets), votes=votes)


def _polls(tweets: list[Tweet]) -> dict[int, PollView]:
    """The polls on the page: one more statement, only when a shown post has one (in the
    session the cards came from)."""
    with_poll = [post for post in map(shown, tweets) if post.has_poll]
    session = object_session(with_poll[0]) if with_poll else None
    return polls_for(session, (t.id for t in with_poll)) if session is not None else {}
