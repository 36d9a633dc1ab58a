"""Everything a tweet card shows, loaded in the statement that picks the tweets.

`cards(query, viewer_id)` takes a select of Tweet rows (already filtered, ordered, limited)
and joins what a card needs: the author; for a repost, the original and its author; the
handle a reply answers; the quoted post and its author, only when the viewer may see it;
and three columns: whether the viewer liked and reposted the post shown, and the handles it
mentions. One statement, whatever the page size: no query per card.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Select, and_, exists, false, func, select
from sqlalchemy.orm import aliased, contains_eager

from webapp.crud.visibility import visible_to
from webapp.models import Like, Mention, Tweet, User

Viewer = int | ColumnElement[int] | None


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


def shown(tweet: Tweet) -> Tweet:
    """The post a card shows: the original, for a repost."""
    return tweet.repost_of if tweet.repost_of is not None else tweet


def _shown_id() -> ColumnElement[int]:
    return func.coalesce(Tweet.repost_of_id, Tweet.id)


def _flags(viewer_id: Viewer) -> list[ColumnElement[Any]]:
    shown_id = _shown_id()
    handles = (
        select(func.aggregate_strings(User.username, " "))
        .join(Mention, Mention.user_id == User.id)
        .where(Mention.tweet_id == shown_id)
        .scalar_subquery()
        .label("mentioned")
    )
    if viewer_id is None:
        return [false().label("liked"), false().label("reposted"), handles]
    mine = aliased(Tweet, name="my_repost")
    liked = exists().where(Like.owner_id == viewer_id, Like.tweet_id == shown_id)
    reposted = exists().where(mine.repost_of_id == shown_id, mine.owner_id == viewer_id)
    return [liked.label("liked"), reposted.label("reposted"), handles]


def cards(query: Select[Any], viewer_id: Viewer) -> Select[Any]:
    """`query` (a select of Tweet) with the card's joins and flag columns added."""
    orig, quoted, orig_quoted = (aliased(Tweet, name=n) for n in ("orig", "quoted", "oquoted"))
    owners = [aliased(User, name=n) for n in ("orig_owner", "quoted_owner", "oquoted_owner")]
    reply_user, orig_reply_user = aliased(User, name="reply_to"), aliased(User, name="oreply_to")
    query = (
        query.add_columns(*_flags(viewer_id))
        .join(User, User.id == Tweet.owner_id)
        .outerjoin(reply_user, reply_user.id == Tweet.in_reply_to_user_id)
        .outerjoin(orig, orig.id == Tweet.repost_of_id)
        .outerjoin(owners[0], owners[0].id == orig.owner_id)
        .outerjoin(orig_reply_user, orig_reply_user.id == orig.in_reply_to_user_id)
        .outerjoin(quoted, and_(quoted.id == Tweet.quote_of_id, visible_to(viewer_id, quoted)))
        .outerjoin(owners[1], owners[1].id == quoted.owner_id)
        .outerjoin(
            orig_quoted,
            and_(orig_quoted.id == orig.quote_of_id, visible_to(viewer_id, orig_quoted)),
        )
        .outerjoin(owners[2], owners[2].id == orig_quoted.owner_id)
    )
    repost = contains_eager(Tweet.repost_of.of_type(orig))
    return query.options(
        contains_eager(Tweet.owner),
        contains_eager(Tweet.in_reply_to_user.of_type(reply_user)),
        repost.contains_eager(orig.owner.of_type(owners[0])),
        repost.contains_eager(orig.in_reply_to_user.of_type(orig_reply_user)),
        repost.contains_eager(orig.quote_of.of_type(orig_quoted)).contains_eager(
            orig_quoted.owner.of_type(owners[2])
        ),
        contains_eager(Tweet.quote_of.of_type(quoted)).contains_eager(
            quoted.owner.of_type(owners[1])
        ),
    )


def paged(rows: Iterable[Any], limit: int) -> Page:
    """A Page from up to limit + 1 card rows: the extra row says a next page exists. A post
    shows once per page, however many of the people you follow reposted it."""
    fetched = list(rows)
    seen: set[int] = set()
    tweets: list[Tweet] = []
    liked, reposted, mentions = set(), set(), {}
    for tweet, is_liked, is_reposted, handles in fetched[:limit]:
        post = shown(tweet)
        if post.id in seen:
            continue
        seen.add(post.id)
        tweets.append(tweet)
        liked.update([post.id] if is_liked else [])
        reposted.update([post.id] if is_reposted else [])
        mentions[post.id] = frozenset(handles.split()) if handles else frozenset()
    last = fetched[limit - 1][0].id if len(fetched) > limit and limit else None
    return Page(tweets, last, frozenset(liked), frozenset(reposted), mentions)
