"""Block and mute (issue 17): POST /api/v1/accounts/:id/block, unblock, mute, unmute (each
answers the Relationship), and GET /api/v1/blocks and /api/v1/mutes, Link-paged."""

from dataclasses import asdict
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response

from webapp.crud import blocks, statuses
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.body import Params
from webapp.mastodon.deps import user_with_scope
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.paging import WindowDep, base_url, link_header
from webapp.mastodon.profiles import _bool
from webapp.models import User

router = APIRouter(prefix="/api/v1", route_class=MastodonRoute)
AccountId = Path(ge=1, le=2**62)
ReadBlocks = Annotated[User, Depends(user_with_scope("read:blocks"))]
WriteBlocks = Annotated[User, Depends(user_with_scope("write:blocks"))]
ReadMutes = Annotated[User, Depends(user_with_scope("read:mutes"))]
WriteMutes = Annotated[User, Depends(user_with_scope("write:mutes"))]


def _relationship(session: SessionDep, me: User, other_id: int) -> dict[str, Any]:
    relation = blocks.relation(session, user_id=me.id, other_id=other_id)
    return serializers.relationship(other_id, **asdict(relation))


@router.post("/accounts/{account_id:int}/block")
def block(session: SessionDep, me: WriteBlocks, account_id: int = AccountId) -> dict[str, Any]:
    blocks.block(session, blocker_id=me.id, blocked_id=account_id)
    return _relationship(session, me, account_id)


@router.post("/accounts/{account_id:int}/unblock")
def unblock(session: SessionDep, me: WriteBlocks, account_id: int = AccountId) -> dict[str, Any]:
    blocks.unblock(session, blocker_id=me.id, blocked_id=account_id)
    return _relationship(session, me, account_id)


def _duration(values: dict[str, Any]) -> int | None:
    """Seconds (a form's string or JSON's number); 0 or none at all is forever."""
    raw = values.get("duration")
    if raw is None or raw == "":
        return None
    try:
        return int(str(raw))
    except ValueError:
        raise MastodonError(
            422, "Validation failed: duration must be a number of seconds"
        ) from None


@router.post("/accounts/{account_id:int}/mute")
def mute(
    session: SessionDep, me: WriteMutes, values: Params, account_id: int = AccountId
) -> dict[str, Any]:
    """`notifications` (default true) also silences their notifications; `duration` in
    seconds ends the mute by itself (0: never)."""
    quiet = _bool(values, "notifications")
    blocks.mute(
        session,
        muter_id=me.id,
        muted_id=account_id,
        notifications=True if quiet is None else quiet,
        duration=_duration(values),
    )
    return _relationship(session, me, account_id)


@router.post("/accounts/{account_id:int}/unmute")
def unmute(session: SessionDep, me: WriteMutes, account_id: int = AccountId) -> dict[str, Any]:
    blocks.unmute(session, muter_id=me.id, muted_id=account_id)
    return _relationship(session, me, account_id)


def _accounts(request: Request, session: SessionDep, users: list[User]) -> list[dict[str, Any]]:
    stats = statuses.account_stats(session, [u.id for u in users])
    return [serializers.account(u, stats[u.id], base_url(request)) for u in users]


@router.get("/blocks")
def blocked(
    request: Request, response: Response, session: SessionDep, me: ReadBlocks, window: WindowDep
) -> list[dict[str, Any]]:
    users = blocks.blocked_accounts(session, user_id=me.id, window=window)
    link_header(request, users, response)
    return _accounts(request, session, users)


@router.get("/mutes")
def muted(
    request: Request, response: Response, session: SessionDep, me: ReadMutes, window: WindowDep
) -> list[dict[str, Any]]:
    """Accounts with `mute_expires_at` (null for a mute without end), as Mastodon adds."""
    rows = blocks.muted_accounts(session, user_id=me.id, window=window)
    users = [row.user for row in rows]
    link_header(request, users, response)
    shown = _accounts(request, session, users)
    for account, row in zip(shown, rows, strict=True):
        account["mute_expires_at"] = serializers.rfc3339(row.expires_at) if row.expires_at else None
    return shown
