"""Each account's statuses_count and last_status_at, kept on users (Mastodon's account_stats),
so a page of statuses reads them with its accounts instead of counting every post its authors
ever wrote.

Mastodon's rule: a status counts unless it is direct; reposts count. A new post moves
last_status_at forward; a deleted one lowers the count and leaves last_status_at where it was.
Each change is an atomic UPDATE in the transaction that adds or removes the rows, never a
read-modify-write. Crud calls these wherever a post appears or goes (crud.conversations);
bulk loads that bypass crud (the seeder, the bench) call recount_posts afterwards.
"""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, DateTime, Select, case, func, literal, or_, select, update
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, aliased

from webapp.models import Tweet, User

UNCOUNTED = "direct"


def count_post(session: Session, tweet: Tweet) -> None:
    """A new post or repost (flushed: its created_at is set) counts for its author."""
    if tweet.visibility == UNCOUNTED:
        return
    # Forward only: of two posts committing out of order, the newer one's time stays.
    newer = or_(User.last_status_at.is_(None), User.last_status_at < tweet.created_at)
    made = literal(tweet.created_at, DateTime(timezone=True))
    session.execute(
        update(User)
        .where(User.id == tweet.owner_id)
        .values(
            statuses_count=User.statuses_count + 1,
            last_status_at=case((newer, made), else_=User.last_status_at),
        )
    )


def uncount_post(session: Session, *, owner_id: int, visibility: str) -> None:
    """A post of theirs is going; last_status_at stays (as on Mastodon)."""
    if visibility != UNCOUNTED:
        session.execute(
            update(User).where(User.id == owner_id).values(statuses_count=User.statuses_count - 1)
        )


def uncount_reposts(session: Session, originals: Iterable[int] | Select[int]) -> None:
    """Before these posts are deleted: their reposts go with them (ON DELETE CASCADE), so
    each reposter loses one per repost, in one UPDATE. Reposts are never direct (only open
    posts are reposted)."""
    repost = aliased(Tweet)
    theirs = repost.repost_of_id.in_(originals)
    lost = select(func.count()).where(repost.owner_id == User.id, theirs).scalar_subquery()
    reposters = select(repost.owner_id).where(theirs)
    session.execute(
        update(User).where(User.id.in_(reposters)).values(statuses_count=User.statuses_count - lost)
    )


def recount_posts(db: Session | Connection, *, only: ColumnElement[bool] | None = None) -> None:
    """Both columns counted afresh from the posts, for every account or those `only` picks:
    after a bulk load that wrote tweets without crud. One UPDATE of correlated subqueries."""
    mine = (Tweet.owner_id == User.id, Tweet.visibility != UNCOUNTED)
    query = update(User).values(
        statuses_count=select(func.count()).where(*mine).scalar_subquery(),
        last_status_at=select(func.max(Tweet.created_at)).where(*mine).scalar_subquery(),
    )
    db.execute(query if only is None else query.where(only))
