"""The profile directory and familiar followers (Mastodon's /api/v1/directory and
/api/v1/accounts/familiar_followers): one statement each, whatever the numbers."""

from collections.abc import Iterable
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from webapp.crud.users import listed
from webapp.models import Follow, User

Order = Literal["active", "new"]
# Per account asked about: enough names to say "followed by ada, bob and 38 others".
FAMILIAR_MAX = 40


def directory(session: Session, *, order: Order, offset: int, limit: int) -> list[User]:
    """Everyone others may find: most recently posting first (active), or newest (new)."""
    query = select(User).where(listed())
    if order == "active":
        # When each last posted, kept on users (crud/post_counts.py), as Mastodon orders it:
        # no probe of anyone's posts.
        query = query.order_by(User.last_status_at.desc().nulls_last(), User.id.desc())
    else:
        query = query.order_by(User.id.desc())
    return list(session.scalars(query.offset(offset).limit(limit)))


def familiar_followers(
    session: Session, *, user_id: int, other_ids: Iterable[int]
) -> dict[int, list[User]]:
    """For each account, the people you follow who follow it (up to FAMILIAR_MAX each)."""
    ids = list(dict.fromkeys(other_ids))
    if not ids:
        return {}
    mine, theirs = aliased(Follow), aliased(Follow)
    rank = (
        func.row_number()
        .over(partition_by=theirs.followee_id, order_by=theirs.follower_id)
        .label("rank")
    )
    ranked = (
        select(theirs.followee_id.label("account_id"), theirs.follower_id.label("person_id"), rank)
        .join(mine, mine.followee_id == theirs.follower_id)
        .where(mine.follower_id == user_id, theirs.followee_id.in_(ids))
        .subquery()
    )
    query = (
        select(ranked.c.account_id, User)
        .join(User, User.id == ranked.c.person_id)
        .where(ranked.c.rank <= FAMILIAR_MAX, listed())
        .order_by(ranked.c.account_id, User.id)
    )
    found: dict[int, list[User]] = {i: [] for i in ids}
    for account_id, person in session.execute(query):
        found[account_id].append(person)
    return found
