"""Follow requests: GET /api/v1/follow_requests, POST .../:account_id/authorize and /reject."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response

from webapp.crud import follow_requests, statuses
from webapp.deps import SessionDep
from webapp.mastodon import relations, serializers
from webapp.mastodon.deps import WriteFollows, user_with_scope
from webapp.mastodon.errors import MastodonRoute
from webapp.mastodon.paging import WindowDep, base_url, link_header_ids
from webapp.models import User

router = APIRouter(prefix="/api/v1/follow_requests", route_class=MastodonRoute)
ReadFollows = Annotated[User, Depends(user_with_scope("read:follows"))]
AccountId = Annotated[int, Path(ge=1, le=2**62)]


@router.get("")
def waiting(
    request: Request, response: Response, session: SessionDep, me: ReadFollows, window: WindowDep
) -> list[dict[str, Any]]:
    """Accounts asking to follow you, newest request first; Link pages by request id."""
    rows = follow_requests.pending(session, user_id=me.id, window=window)
    link_header_ids(request, [request_id for request_id, _ in rows], response)
    stats = statuses.account_stats(session, [person.id for _, person in rows])
    return [serializers.account(p, stats[p.id], base_url(request)) for _, p in rows]


@router.post("/{account_id}/authorize")
def authorize(session: SessionDep, me: WriteFollows, account_id: AccountId) -> dict[str, Any]:
    follow_requests.authorize(session, user_id=me.id, requester_id=account_id)
    return relations.relationship(session, user_id=me.id, other_id=account_id)


@router.post("/{account_id}/reject")
def reject(session: SessionDep, me: WriteFollows, account_id: AccountId) -> dict[str, Any]:
    follow_requests.reject(session, user_id=me.id, requester_id=account_id)
    return relations.relationship(session, user_id=me.id, other_id=account_id)
