"""Home feeds on PostgreSQL: each person's home timeline written when posts are made.

Reading a home page from the feed is one index range on home_feed(user_id, tweet_id) however
many people one follows; the LATERAL merge it replaces (timelines._HOME_LATERAL) costs one
index probe per followee (35 ms at 1,000 followees, 175 ms at 5,000; BENCHMARKS.md).

The invariant: while users.feed_floor is set, home_feed holds every post of the person and
of their followees with an id above it. Below the floor (a deep page, or a feed being
backfilled) the home timeline reads the LATERAL merge, so a page is always exactly the
definition: what visible_to and conversation_for let through, of followees' and one's own
posts, newest first. Who may see what is decided when a page is read, never stored, so
blocks, suspensions, follows that change followers-only visibility and deletes need no
rewrite of anyone's feed.

Writes that keep it so:
- a post: the author's feed and, up to FEED_INLINE_FANOUT followers, theirs in the post's own
  transaction; past that a job (webapp/jobs.py) writes the followers' rows after the reply;
- a follow: the followee's newest posts above the floor; an unfollow: removes them;
- a person's first home page queues a job (once: a queueing lock), which sets the floor to
  the newest id and backfills beneath it
  (no row is missed: a post committed before the floor is below it, one after it is fanned
  out to a feed that is already kept);
- trim (a periodic job): a feed longer than FEED_DEPTH + TRIM_SLACK loses its oldest rows
  and its floor rises. A deleted post's rows are left to the join and the next trim.
SQLite, the embedded default, keeps the simple query and no feed.
"""

from typing import Any

from sqlalchemy import (
    BigInteger,
    Select,
    bindparam,
    delete,
    func,
    literal,
    or_,
    select,
    true,
    union,
    update,
)
from sqlalchemy.dialects.postgresql import Insert
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from webapp.config import settings
from webapp.models import Follow, HomeFeed, Tweet, User

FEED_DEPTH = 1_500  # posts kept per feed: 50 pages of 20, and room for what visibility hides
TRIM_SLACK = 500  # a feed is trimmed back to FEED_DEPTH once it holds this many more


def kept(session: Session) -> bool:
    """Feeds are kept on PostgreSQL; SQLite's home timeline is the simple query."""
    return session.get_bind().dialect.name == "postgresql"


def _insert(rows: Select[Any]) -> Insert:
    statement = pg_insert(HomeFeed).from_select(["user_id", "tweet_id"], rows)
    return statement.on_conflict_do_nothing()


def _kept_followers(tweet: Tweet) -> Select[int]:
    """Followers whose feed is kept (all of them: what each may see is decided on reading)."""
    return (
        select(Follow.follower_id)
        .join(User, User.id == Follow.follower_id)
        .where(Follow.followee_id == tweet.owner_id, User.feed_floor >= 0)
    )


def on_post(session: Session, tweet: Tweet) -> bool:
    """In the post's transaction: write the author's row, and the followers' when they are
    few. Returns True when the followers' rows are left to a job (webapp.jobs.fan_out)."""
    if not kept(session):
        return False
    inline = settings.feed_inline_fanout
    first = select(Follow.follower_id).where(Follow.followee_id == tweet.owner_id)
    followers = session.scalar(select(func.count()).select_from(first.limit(inline + 1).subquery()))
    many = (followers or 0) > inline
    author = select(User.id).where(User.id == tweet.owner_id, User.feed_floor >= 0)
    recipients = author if many else union(author, _kept_followers(tweet))
    who = recipients.subquery()
    session.execute(_insert(select(who.c[0], literal(tweet.id))))
    return many


def fan_out(session: Session, tweet_id: int) -> int:
    """The job's half of on_post: every kept follower's row. Returns how many were written."""
    tweet = session.get(Tweet, tweet_id)
    if tweet is None:  # deleted before the job ran
        return 0
    who = _kept_followers(tweet).subquery()
    done = session.execute(_insert(select(who.c[0], literal(tweet.id))))
    session.commit()
    return int(done.rowcount)  # type: ignore[attr-defined]


def on_follow(session: Session, *, follower_id: int, followee_id: int) -> None:
    """The followee's posts above the follower's floor join the feed (at most FEED_DEPTH:
    past that the floor rises to where they stop, so the invariant holds)."""
    floor = _floor(session, follower_id)
    if floor is None or floor < 0:
        return
    newest = (
        select(Tweet.id)
        .where(Tweet.owner_id == followee_id, Tweet.id > floor)
        .order_by(Tweet.id.desc())
        .limit(FEED_DEPTH)
    )
    ids = list(session.scalars(newest))
    if not ids:
        return
    rows = [{"user_id": follower_id, "tweet_id": i} for i in ids]
    session.execute(pg_insert(HomeFeed).on_conflict_do_nothing(), rows)
    if len(ids) == FEED_DEPTH:
        _raise_floor(session, follower_id, ids[-1] - 1)


def on_unfollow(session: Session, *, follower_id: int, followee_id: int) -> None:
    if _floor(session, follower_id) is None:
        return
    theirs = select(Tweet.id).where(Tweet.owner_id == followee_id)
    session.execute(
        delete(HomeFeed).where(HomeFeed.user_id == follower_id, HomeFeed.tweet_id.in_(theirs))
    )


def _floor(session: Session, user_id: int) -> int | None:
    if not kept(session):
        return None
    return session.scalar(select(User.feed_floor).where(User.id == user_id))


def _raise_floor(session: Session, user_id: int, floor: int) -> None:
    session.execute(delete(HomeFeed).where(HomeFeed.user_id == user_id, HomeFeed.tweet_id <= floor))
    session.execute(
        update(User)
        .where(User.id == user_id, User.feed_floor < floor)
        .values(feed_floor=floor)
        .execution_options(synchronize_session=False)
    )


# --- Building and trimming (jobs and the CLI) ---


def start(session: Session, user_id: int) -> bool:
    """Begin keeping a feed: the floor at the newest post, so it is exact at once (and empty).
    Returns False if it was kept already. Commit before backfill (see the module's note)."""
    newest = select(func.coalesce(func.max(Tweet.id), 0)).scalar_subquery()
    started = session.execute(
        update(User)
        .where(User.id == user_id, or_(User.feed_floor.is_(None), User.feed_floor < 0))
        .values(feed_floor=newest)
        .execution_options(synchronize_session=False)
    )
    session.commit()
    return bool(started.rowcount)  # type: ignore[attr-defined]


def backfill(session: Session, user_id: int) -> int:
    """Fill the feed beneath its floor with the newest FEED_DEPTH posts there and lower the
    floor to where they end (0: everything is in). Returns how many rows were written."""
    floor = session.scalar(select(User.feed_floor).where(User.id == user_id).with_for_update())
    if floor is None or floor <= 0:
        session.rollback()
        return 0
    held = session.scalar(select(func.count()).where(HomeFeed.user_id == user_id)) or 0
    want = FEED_DEPTH - held
    if want <= 0:  # full already: the floor stays where it is
        session.rollback()
        return 0
    ids = list(session.scalars(_newest_beneath(), _params(user_id, floor, want)))
    if ids:
        rows = [{"user_id": user_id, "tweet_id": i} for i in ids]
        session.execute(pg_insert(HomeFeed).on_conflict_do_nothing(), rows)
    lowest = ids[-1] - 1 if len(ids) == want else 0  # fewer than asked: that was all of it
    session.execute(update(User).where(User.id == user_id).values(feed_floor=lowest))
    session.commit()
    return len(ids)


def _params(user_id: int, floor: int, want: int) -> dict[str, int]:
    return {"user_id": user_id, "before": floor + 1, "n": want}


def _newest_beneath() -> Select[int]:
    """The newest n ids of the person and their followees below `before`: each followee's
    newest n by its index, merged (the LATERAL shape of timelines._HOME_LATERAL, with no
    visibility: the feed holds candidates, the read decides)."""
    me = bindparam("user_id", type_=Tweet.owner_id.type)
    n = bindparam("n", type_=Tweet.id.type)
    authors = (
        select(Follow.followee_id.label("uid"))
        .where(Follow.follower_id == me)
        .union_all(select(me.label("uid")))
        .subquery("authors")
    )
    newest = (
        select(Tweet.id)
        .where(Tweet.owner_id == authors.c.uid, Tweet.id < bindparam("before", type_=BigInteger))
        .order_by(Tweet.id.desc())
        .limit(n)
        .lateral("newest")
    )
    return (
        select(newest.c.id)
        .select_from(authors)
        .join(newest, true())
        .order_by(newest.c.id.desc())
        .limit(n)
    )


def rebuild(session: Session, user_id: int) -> int:
    """Throw the feed away and build it again from the follows (the CLI's `feeds rebuild`)."""
    session.execute(delete(HomeFeed).where(HomeFeed.user_id == user_id))
    session.execute(update(User).where(User.id == user_id).values(feed_floor=None))
    session.commit()
    start(session, user_id)
    return backfill(session, user_id)


def trim(session: Session, user_id: int) -> bool:
    """Keep the newest FEED_DEPTH rows once a feed holds TRIM_SLACK more. Returns whether it did."""
    rows = select(HomeFeed.tweet_id).where(HomeFeed.user_id == user_id)
    rows = rows.order_by(HomeFeed.tweet_id.desc())
    too_long = session.scalar(rows.offset(FEED_DEPTH + TRIM_SLACK).limit(1))
    if too_long is None:
        return False
    cut = session.scalar(rows.offset(FEED_DEPTH).limit(1))
    if cut is not None:
        _raise_floor(session, user_id, cut)
    session.commit()
    return True


def kept_users(session: Session, *, after: int = 0, limit: int = 1000) -> list[int]:
    """Ids of people whose feed is kept, in id order from `after` (for batched jobs)."""
    query = select(User.id).where(User.feed_floor >= 0, User.id > after)
    return list(session.scalars(query.order_by(User.id).limit(limit)))
