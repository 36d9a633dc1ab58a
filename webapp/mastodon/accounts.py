"""Accounts: who am I, who is that, their statuses, follow and unfollow."""

from typing import Any

from fastapi import APIRouter, Path, Request, Response

from webapp import crud
from webapp.crud import follow_requests, pins, statuses
from webapp.deps import SessionDep
from webapp.mastodon import relations, serializers
from webapp.mastodon.deps import ReadAccounts, Viewer, WriteFollows
from webapp.mastodon.errors import MastodonRoute
from webapp.mastodon.paging import WindowDep, base_url, statuses_page
from webapp.models import User

router = APIRouter(prefix="/api/v1/accounts", route_class=MastodonRoute)
AccountId = Path(ge=1, le=2**62)


def _stats(session: SessionDep, user: User) -> statuses.AccountStats:
    return statuses.account_stats(session, [user.id])[user.id]


@router.get("/verify_credentials")
def verify_credentials(request: Request, session: SessionDep, me: ReadAccounts) -> dict[str, Any]:
    waiting = follow_requests.pending_count(session, user_id=me.id)
    return serializers.credential_account(me, _stats(session, me), base_url(request), waiting)


@router.get("/{account_id:int}")
def get_account(
    request: Request, session: SessionDep, account_id: int = AccountId
) -> dict[str, Any]:
    user = crud.get_user(session, account_id)
    return serializers.account(user, _stats(session, user), base_url(request))


@router.get("/{account_id:int}/statuses")
def account_statuses(
    request: Request,
    response: Response,
    session: SessionDep,
    viewer: Viewer,
    window: WindowDep,
    account_id: int = AccountId,
    exclude_replies: bool = False,
    exclude_reblogs: bool = False,
    only_media: bool = False,
    pinned: bool = False,
) -> list[dict[str, object]]:
    viewer_id = viewer.id if viewer else None
    if pinned:  # the few pinned posts, newest pin first, in one page (Mastodon: no paging)
        crud.get_user(session, account_id)
        shown = pins.pinned_statuses(session, user_id=account_id, viewer_id=viewer_id)
        return statuses_page(
            session, request, response, shown if window.max_id is None else [], viewer
        )
    page = statuses.account_statuses(
        session,
        user_id=account_id,
        window=window,
        viewer_id=viewer_id,
        exclude_replies=exclude_replies,
        exclude_reblogs=exclude_reblogs,
        only_media=only_media,
    )
    return statuses_page(session, request, response, page, viewer, "account")


def _relationship(session: SessionDep, me: User, other_id: int) -> dict[str, Any]:
    return relations.relationship(session, user_id=me.id, other_id=other_id)


@router.post("/{account_id:int}/follow")
def follow(session: SessionDep, me: WriteFollows, account_id: int = AccountId) -> dict[str, Any]:
    """A locked account gets a follow request: `requested` in the answer says so."""
    follow_requests.follow_or_request(session, follower_id=me.id, followee_id=account_id)
    return relations.relationship(session, user_id=me.id, other_id=account_id)


@router.post("/{account_id:int}/unfollow")
def unfollow(session: SessionDep, me: WriteFollows, account_id: int = AccountId) -> dict[str, Any]:
    follow_requests.unfollow_or_cancel(session, follower_id=me.id, followee_id=account_id)
    return relations.relationship(session, user_id=me.id, other_id=account_id)
