"""Hashtags: the tag index written at post time, tag pages, trends, followed tags.

A tweet's tags are parsed once, when it is posted (webapp.text.hashtags, the same parser
that links them), into tweet_tags; every read here is an index range on that table.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    BigInteger,
    Insert,
    Select,
    String,
    bindparam,
    delete,
    distinct,
    func,
    literal_column,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.crud.hydrate import Page, cards, paged, viewer_param, with_viewer
from webapp.crud.timelines import NO_CURSOR, PAGE_SIZE
from webapp.crud.visibility import not_muted, publicly_listed, visible_to
from webapp.models import Base, FollowedTag, Tag, Tweet, TweetTag, utcnow
from webapp.text import hashtags

TAG_MAX = 100
TRENDING_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class TagUse:
    """A tag and how many posts and distinct people used it in the trending window."""

    name: str
    uses: int
    people: int


def _insert_ignoring_duplicates(
    session: Session, table: type[Base], rows: list[dict[str, object]]
) -> None:
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement: Insert = dialect.insert(table).values(rows).on_conflict_do_nothing()
    session.execute(statement)


def record_tags(session: Session, tweet: Tweet) -> None:
    """Index a new tweet's #tags (the caller commits). The tweet must be flushed (has an id)."""
    names = sorted(tag for tag in hashtags(tweet.text) if len(tag) <= TAG_MAX)
    if not names:
        return
    _insert_ignoring_duplicates(session, Tag, [{"name": name} for name in names])
    session.add_all(
        TweetTag(tag=name, tweet_id=tweet.id, owner_id=tweet.owner_id, created_at=tweet.created_at)
        for name in names
    )


def tag_timeline(
    session: Session,
    *,
    tag: str,
    before: int | None = None,
    limit: int = PAGE_SIZE,
    viewer_id: int | None = None,
) -> Page:
    """Posts that use #tag, newest first: a backward range on tweet_tags' (tag, tweet_id),
    each row with what its card shows (webapp/crud/hydrate.py)."""
    values = {"tag": tag.lower(), "before": before or NO_CURSOR, "n": limit + 1}
    statement = _tag_timeline(viewer_id is not None)
    return paged(session.execute(statement, with_viewer(viewer_id, **values)), limit)


@cache
def _tag_timeline(signed_in: bool) -> Select[Any]:
    """Built once per shape, bound per call (tag, before, n, viewer), as the timelines are."""
    viewer = viewer_param(signed_in)
    tagged = (TweetTag.tweet_id == Tweet.id) & (TweetTag.tag == bindparam("tag", type_=String))
    query = (
        select(Tweet)
        .join(TweetTag, tagged)
        .where(publicly_listed(), visible_to(viewer), not_muted(viewer))
        .where(TweetTag.tweet_id < bindparam("before", type_=BigInteger))
        .order_by(TweetTag.tweet_id.desc())
        .limit(bindparam("n", type_=Tweet.id.type))
    )
    return cards(query, viewer)


def trending(session: Session, *, limit: int = 10) -> list[TagUse]:
    """Tags used in the last 24 hours, ranked by how many different people used them (so one
    busy account cannot trend a tag alone), then by uses."""
    people = func.count(distinct(TweetTag.owner_id))
    query = (
        select(TweetTag.tag, func.count(), people)
        .where(TweetTag.created_at >= utcnow() - TRENDING_WINDOW)
        .group_by(TweetTag.tag)
        .order_by(people.desc(), func.count().desc(), TweetTag.tag)
        .limit(limit)
    )
    return [TagUse(name, uses, who) for name, uses, who in session.execute(query)]


def tag_uses(session: Session, names: Iterable[str]) -> dict[str, TagUse]:
    """Uses and people in the trending window for these tags (0 for unused), one query."""
    wanted = list(names)
    query = (
        select(TweetTag.tag, func.count(), func.count(distinct(TweetTag.owner_id)))
        .where(TweetTag.tag.in_(wanted), TweetTag.created_at >= utcnow() - TRENDING_WINDOW)
        .group_by(TweetTag.tag)
    )
    found = {name: TagUse(name, uses, who) for name, uses, who in session.execute(query)}
    return {name: found.get(name, TagUse(name, 0, 0)) for name in wanted}


def search_tags(
    session: Session, *, prefix: str, after: str | None = None, limit: int = PAGE_SIZE
) -> list[str]:
    """Tag names that start with prefix, in name order, keyset-paged by the last name seen."""
    prefix = prefix.strip().lstrip("#").lower()
    if not prefix or "\x00" in prefix + (after or ""):  # no tag holds a NUL (PostgreSQL
        return []  # refuses one)
    query = select(Tag.name).where(Tag.name.like(_like_prefix(prefix), escape="\\"))
    if session.get_bind().dialect.name == "postgresql":
        # The pattern_ops index is ordered by ~<~ (byte order), not by the collation: asking
        # for that order lets it serve the prefix and the order, so LIMIT stops early instead
        # of sorting every match (10k tags start with "12" in the 1M-post data set).
        if after is not None:
            query = query.where(Tag.name.op("~>~")(after))
        query = query.order_by(literal_column("tags.name USING ~<~"))
    else:
        if after is not None:
            query = query.where(Tag.name > after)
        query = query.order_by(Tag.name)
    return list(session.scalars(query.limit(limit)))


def _like_prefix(prefix: str) -> str:
    escaped = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{escaped}%"


def follow_tag(session: Session, *, user_id: int, tag: str) -> None:
    """Follow a tag (twice is harmless). A tag nobody used yet may be followed: it is created,
    as Mastodon does, so it can be looked up and searched from then on."""
    _insert_ignoring_duplicates(session, Tag, [{"name": tag.lower()}])
    _insert_ignoring_duplicates(session, FollowedTag, [{"user_id": user_id, "tag": tag.lower()}])
    session.commit()


def unfollow_tag(session: Session, *, user_id: int, tag: str) -> None:
    session.execute(
        delete(FollowedTag).where(FollowedTag.user_id == user_id, FollowedTag.tag == tag.lower())
    )
    session.commit()


def followed_tags(session: Session, *, user_id: int, limit: int = 100) -> Sequence[str]:
    query = select(FollowedTag.tag).where(FollowedTag.user_id == user_id)
    return session.scalars(query.order_by(FollowedTag.tag).limit(limit)).all()


def follows_tags(session: Session, *, user_id: int, names: Iterable[str]) -> set[str]:
    """Which of these tags the user follows: one query for a list."""
    query = select(FollowedTag.tag).where(
        FollowedTag.user_id == user_id, FollowedTag.tag.in_(list(names))
    )
    return set(session.scalars(query))
