"""Direct conversations (Mastodon's /api/v1/conversations): threads of direct posts.

A direct post that answers no direct post starts a Conversation; a direct reply joins its
parent's. Each person a direct post shows to (its author and the people it mentions, as
visible_to says) gets a ConversationMember row pointing at it: the newest post they may read,
unread unless they wrote it, shown again if they had hidden the conversation. Written in the
post's own transaction (crud.conversations.post), so a page reads rows, never a thread walk.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlalchemy import select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from webapp.crud.errors import NotFound
from webapp.crud.visibility import visible_to
from webapp.models import Conversation, ConversationMember, ConversationPost, Tweet, User

if TYPE_CHECKING:  # crud.statuses imports crud.social, which imports crud.conversations
    from webapp.crud.statuses import Window


def record(session: Session, tweet: Tweet, mentioned: Iterable[int]) -> None:
    """File a new direct post under its conversation; the caller commits."""
    conversation_id = None
    if tweet.in_reply_to_id is not None:
        parent_of = ConversationPost.tweet_id == tweet.in_reply_to_id
        conversation_id = session.scalar(select(ConversationPost.conversation_id).where(parent_of))
    if conversation_id is None:
        started = Conversation()
        session.add(started)
        session.flush()
        conversation_id = started.id
    session.add(ConversationPost(tweet_id=tweet.id, conversation_id=conversation_id))
    rows = [
        {
            "conversation_id": conversation_id,
            "user_id": person,
            "last_status_id": tweet.id,
            "sort_id": tweet.id,
            "unread": person != tweet.owner_id,
            "hidden": False,
        }
        for person in sorted({tweet.owner_id, *mentioned})
    ]
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    statement = insert(ConversationMember).values(rows)
    fresh = statement.excluded
    session.execute(
        statement.on_conflict_do_update(
            index_elements=["conversation_id", "user_id"],
            set_={
                "last_status_id": fresh.last_status_id,
                "sort_id": fresh.sort_id,
                "unread": fresh.unread,
                "hidden": False,
            },
        )
    )


def conversations(session: Session, *, user_id: int, window: "Window") -> list[ConversationMember]:
    """Yours, newest post first, keyset on that post's id (max_id older, min_id newer)."""
    query = select(ConversationMember).where(
        ConversationMember.user_id == user_id, ConversationMember.hidden.is_(False)
    )
    if window.max_id is not None:
        query = query.where(ConversationMember.sort_id < window.max_id)
    if window.since_id is not None:
        query = query.where(ConversationMember.sort_id > window.since_id)
    if window.min_id is not None:
        query = query.where(ConversationMember.sort_id > window.min_id)
        oldest_first = query.order_by(ConversationMember.sort_id.asc()).limit(window.limit)
        return list(reversed(session.scalars(oldest_first).all()))
    newest_first = query.order_by(ConversationMember.sort_id.desc()).limit(window.limit)
    return list(session.scalars(newest_first))


@dataclass(frozen=True)
class Shown:
    """What a page of conversations names: the others in each, and each one's last post."""

    participants: dict[int, list[User]]
    last_posts: dict[int, Tweet]


def shown(session: Session, *, user_id: int, rows: Iterable[ConversationMember]) -> Shown:
    """Two statements for any page."""
    rows = list(rows)
    ids = [row.conversation_id for row in rows]
    if not ids:
        return Shown({}, {})
    people = (
        select(ConversationMember.conversation_id, User)
        .join(User, User.id == ConversationMember.user_id)
        .where(ConversationMember.conversation_id.in_(ids), User.id != user_id)
        .order_by(User.username)
    )
    participants: dict[int, list[User]] = {i: [] for i in ids}
    for conversation_id, person in session.execute(people):
        participants[conversation_id].append(person)
    last_ids = [row.last_status_id for row in rows if row.last_status_id is not None]
    posts = select(Tweet).where(Tweet.id.in_(last_ids), visible_to(user_id)) if last_ids else None
    last_posts = {t.id: t for t in session.scalars(posts)} if posts is not None else {}
    return Shown(participants, last_posts)


def get(session: Session, *, user_id: int, conversation_id: int) -> ConversationMember:
    row = session.get(ConversationMember, (conversation_id, user_id))
    if row is None or row.hidden:  # someone else's is as good as absent
        raise NotFound("Conversation not found")
    return row


def mark_read(session: Session, *, user_id: int, conversation_id: int) -> ConversationMember:
    row = get(session, user_id=user_id, conversation_id=conversation_id)
    row.unread = False
    session.commit()
    return row


def hide(session: Session, *, user_id: int, conversation_id: int) -> None:
    """Take it off your list; a new post in it brings it back (as on Mastodon)."""
    get(session, user_id=user_id, conversation_id=conversation_id)
    session.execute(
        update(ConversationMember)
        .where(
            ConversationMember.conversation_id == conversation_id,
            ConversationMember.user_id == user_id,
        )
        .values(hidden=True)
    )
    session.commit()


def mark_all_read(session: Session, *, user_id: int) -> None:
    """Opening /messages: everything listed there has been seen."""
    session.execute(
        update(ConversationMember)
        .where(ConversationMember.user_id == user_id, ConversationMember.unread.is_(True))
        .values(unread=False)
    )
    session.commit()
