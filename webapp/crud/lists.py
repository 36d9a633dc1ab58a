"""Lists: a person's own named sets of accounts, each read as a timeline (Mastodon's lists).

Only the owner sees a list or its timeline; anyone else gets "not found". Members must be
people the owner follows, as Mastodon requires.
"""

from collections.abc import Iterable, Sequence

from sqlalchemy import ColumnElement, and_, delete, func, or_, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from webapp.crud.errors import DomainError, NotFound
from webapp.crud.statuses import Window
from webapp.crud.statuses import _window as id_window
from webapp.crud.timelines import PAGE_SIZE, Page, conversation_for
from webapp.crud.timelines import _page as page_of
from webapp.crud.visibility import not_muted, visible_to
from webapp.models import Follow, List, ListMember, Tweet, User

TITLE_MAX = 100
LISTS_MAX = 50  # per person, as Mastodon caps them
MEMBERS_PAGE = 40
REPLIES_POLICIES = ("followed", "list", "none")


class BadList(DomainError):
    message = "A list needs a title of 1 to 100 characters."
    field = "title"


class NotFollowing(DomainError):
    message = "You can only add people you follow to a list."


def _check(title: str, replies_policy: str) -> str:
    title = title.strip()
    if not title or len(title) > TITLE_MAX or "\x00" in title:
        raise BadList()
    if replies_policy not in REPLIES_POLICIES:
        raise BadList("Replies shown must be followed, list or none.")
    return title


def create_list(
    session: Session,
    *,
    owner_id: int,
    title: str,
    replies_policy: str = "list",
    exclusive: bool = False,
) -> List:
    title = _check(title, replies_policy)
    count = session.scalar(select(func.count()).where(List.owner_id == owner_id)) or 0
    if count >= LISTS_MAX:
        raise BadList(f"You can have at most {LISTS_MAX} lists.")
    row = List(owner_id=owner_id, title=title, replies_policy=replies_policy, exclusive=exclusive)
    session.add(row)
    session.commit()
    return row


def get_list(session: Session, *, list_id: int, owner_id: int) -> List:
    row = session.get(List, list_id)
    if row is None or row.owner_id != owner_id:
        raise NotFound("List not found")
    return row


def my_lists(session: Session, *, owner_id: int) -> Sequence[List]:
    return session.scalars(select(List).where(List.owner_id == owner_id).order_by(List.id)).all()


def update_list(
    session: Session,
    *,
    list_id: int,
    owner_id: int,
    title: str | None = None,
    replies_policy: str | None = None,
    exclusive: bool | None = None,
) -> List:
    row = get_list(session, list_id=list_id, owner_id=owner_id)
    policy = replies_policy if replies_policy is not None else row.replies_policy
    row.title = _check(title if title is not None else row.title, policy)
    row.replies_policy = policy
    if exclusive is not None:
        row.exclusive = exclusive
    session.commit()
    return row


def delete_list(session: Session, *, list_id: int, owner_id: int) -> None:
    get_list(session, list_id=list_id, owner_id=owner_id)
    session.execute(delete(List).where(List.id == list_id))
    session.commit()


def add_members(session: Session, *, list_id: int, owner_id: int, user_ids: Iterable[int]) -> None:
    """Add people (idempotent); each must be someone the owner follows."""
    get_list(session, list_id=list_id, owner_id=owner_id)
    wanted = set(user_ids)
    followed = set(
        session.scalars(
            select(Follow.followee_id).where(
                Follow.follower_id == owner_id, Follow.followee_id.in_(wanted)
            )
        )
    )
    if wanted - followed:
        raise NotFollowing()
    if not wanted:
        return
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    rows = [{"list_id": list_id, "user_id": user_id} for user_id in sorted(wanted)]
    session.execute(insert(ListMember).values(rows).on_conflict_do_nothing())
    session.commit()


def remove_members(
    session: Session, *, list_id: int, owner_id: int, user_ids: Iterable[int]
) -> None:
    get_list(session, list_id=list_id, owner_id=owner_id)
    ids = set(user_ids)
    session.execute(
        delete(ListMember).where(ListMember.list_id == list_id, ListMember.user_id.in_(ids))
    )
    session.commit()


def members(
    session: Session,
    *,
    list_id: int,
    owner_id: int,
    before: int | None = None,
    limit: int | None = MEMBERS_PAGE,
) -> Sequence[User]:
    """The list's people, newest member first, keyset-paged by user id."""
    get_list(session, list_id=list_id, owner_id=owner_id)
    query = (
        select(User)
        .join(ListMember, ListMember.user_id == User.id)
        .where(ListMember.list_id == list_id)
        .order_by(User.id.desc())
        .limit(limit)
    )
    if before is not None:
        query = query.where(User.id < before)
    return session.scalars(query).all()


def lists_with(session: Session, *, owner_id: int, user_id: int) -> Sequence[List]:
    """The owner's lists that hold this person (Mastodon's /accounts/:id/lists)."""
    query = (
        select(List)
        .join(ListMember, ListMember.list_id == List.id)
        .where(List.owner_id == owner_id, ListMember.user_id == user_id)
        .order_by(List.id)
    )
    return session.scalars(query).all()


def _posts_of_members(row: List) -> ColumnElement[bool]:
    """The members' posts the owner may see, with the replies the list's policy shows:
    none; only to the list's people (and the author's own threads); or, like the home
    timeline, to anyone the owner follows."""
    members = select(ListMember.user_id).where(ListMember.list_id == row.id)
    shown = [Tweet.owner_id.in_(members), visible_to(row.owner_id), not_muted(row.owner_id)]
    if row.replies_policy == "none":
        shown.append(Tweet.in_reply_to_user_id.is_(None))
    elif row.replies_policy == "list":
        shown.append(
            or_(
                Tweet.in_reply_to_user_id.is_(None),
                Tweet.in_reply_to_user_id == Tweet.owner_id,
                Tweet.in_reply_to_user_id.in_(members),
            )
        )
    else:
        shown.append(conversation_for(row.owner_id))
    return and_(*shown)


def list_statuses(session: Session, *, list_id: int, owner_id: int, window: Window) -> list[Tweet]:
    """The Mastodon API's id window (max_id, since_id, min_id) over the members' posts."""
    row = get_list(session, list_id=list_id, owner_id=owner_id)
    return id_window(session, select(Tweet).where(_posts_of_members(row)), window)


def list_timeline(
    session: Session,
    *,
    list_id: int,
    owner_id: int,
    before: int | None = None,
    limit: int = PAGE_SIZE,
) -> Page:
    """The members' posts, newest first, with which of them the owner liked."""
    row = get_list(session, list_id=list_id, owner_id=owner_id)
    query = select(Tweet).where(_posts_of_members(row))
    return page_of(session, query, owner_id, before, limit)
