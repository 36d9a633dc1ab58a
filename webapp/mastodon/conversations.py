"""Direct conversations: GET /api/v1/conversations, POST /:id/read, DELETE /:id."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response
from sqlalchemy.orm import Session

from webapp.crud import direct_messages, statuses
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.deps import ReadStatuses, user_with_scope
from webapp.mastodon.errors import MastodonRoute
from webapp.mastodon.paging import WindowDep, base_url, context, link_header_ids
from webapp.models import ConversationMember, User

router = APIRouter(prefix="/api/v1/conversations", route_class=MastodonRoute)
WriteConversations = Annotated[User, Depends(user_with_scope("write:conversations"))]
ConversationId = Annotated[int, Path(ge=1, le=2**62)]


def entities(
    session: Session, request: Request, me: User, rows: list[ConversationMember]
) -> list[dict[str, Any]]:
    """Conversation entities for a page: a fixed number of statements for any page."""
    shown = direct_messages.shown(session, user_id=me.id, rows=rows)
    people = {p.id: p for group in shown.participants.values() for p in group}
    stats = statuses.account_stats(session, people)
    posts = list(shown.last_posts.values())
    ctx = context(session, posts, me, base_url(request))
    return [
        {
            "id": str(row.conversation_id),
            "unread": row.unread,
            "accounts": [
                serializers.account(p, stats[p.id], base_url(request))
                for p in shown.participants[row.conversation_id]
            ],
            "last_status": (
                serializers.status(shown.last_posts[row.last_status_id], ctx)
                if row.last_status_id in shown.last_posts
                else None
            ),
        }
        for row in rows
    ]


@router.get("")
@router.get("/")  # Mastodon.py asks with the slash
def mine(
    request: Request, response: Response, session: SessionDep, me: ReadStatuses, window: WindowDep
) -> list[dict[str, Any]]:
    rows = direct_messages.conversations(session, user_id=me.id, window=window)
    link_header_ids(request, [row.sort_id for row in rows], response)
    return entities(session, request, me, rows)


@router.post("/{conversation_id}/read")
def read(
    request: Request, session: SessionDep, me: WriteConversations, conversation_id: ConversationId
) -> dict[str, Any]:
    row = direct_messages.mark_read(session, user_id=me.id, conversation_id=conversation_id)
    return entities(session, request, me, [row])[0]


@router.delete("/{conversation_id}")
def remove(
    session: SessionDep, me: WriteConversations, conversation_id: ConversationId
) -> dict[str, Any]:
    direct_messages.hide(session, user_id=me.id, conversation_id=conversation_id)
    return {}
