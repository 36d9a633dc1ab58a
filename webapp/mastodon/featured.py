"""What people feature on their profile: /api/v1/featured_tags (list, create, delete,
suggestions), /api/v1/accounts/:id/featured_tags, endorsements and account pin/unpin."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from webapp import crud
from webapp.crud import featured, statuses
from webapp.deps import SessionDep
from webapp.mastodon import relations, serializers
from webapp.mastodon.body import Params, text_param
from webapp.mastodon.deps import ReadAccounts, user_with_scope
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.paging import base_url, link_header_ids
from webapp.mastodon.tags import history, tag_json
from webapp.models import User

router = APIRouter(route_class=MastodonRoute)
WriteAccounts = Annotated[User, Depends(user_with_scope("write:accounts"))]
AccountId = Annotated[int, Path(ge=1, le=2**62)]
FeaturedId = Annotated[int, Path(ge=1, le=2**62)]
Limit = Annotated[int, Query()]
MaxId = Annotated[int | None, Query(ge=1, le=2**62)]


def _entity(stat: featured.FeaturedStat, owner: User, base: str) -> dict[str, Any]:
    last = stat.last_status_at
    return {
        "id": str(stat.row.id),
        "name": stat.row.name,
        "url": f"{base}@{owner.username}/tagged/{stat.row.name}",
        "statuses_count": str(stat.statuses_count),  # a string, as Mastodon sends it
        "last_status_at": last.date().isoformat() if last else None,
    }


def _tags_of(request: Request, session: SessionDep, owner: User) -> list[dict[str, Any]]:
    stats = featured.featured_tags(session, user_id=owner.id)
    return [_entity(stat, owner, base_url(request)) for stat in stats]


@router.get("/api/v1/featured_tags")
def my_tags(request: Request, session: SessionDep, me: ReadAccounts) -> list[dict[str, Any]]:
    return _tags_of(request, session, me)


@router.post("/api/v1/featured_tags")
def feature(
    request: Request, session: SessionDep, me: WriteAccounts, values: Params
) -> dict[str, Any]:
    name = text_param(values, "name", required=True) or ""
    try:
        stat = featured.feature_tag(session, user_id=me.id, name=name)
    except featured.BadFeature as error:
        raise MastodonError(422, f"Validation failed: {error.message}") from error
    return _entity(stat, me, base_url(request))


@router.delete("/api/v1/featured_tags/{featured_id}")
def unfeature(session: SessionDep, me: WriteAccounts, featured_id: FeaturedId) -> dict[str, Any]:
    featured.unfeature_tag(session, user_id=me.id, featured_id=featured_id)
    return {}


@router.get("/api/v1/featured_tags/suggestions")
def suggestions(request: Request, session: SessionDep, me: ReadAccounts) -> list[dict[str, Any]]:
    names = featured.tag_suggestions(session, user_id=me.id)
    week = history(session, names) if names else {}
    return [tag_json(session, request, n, None, week=week[n]) for n in names]


@router.get("/api/v1/accounts/{account_id}/featured_tags")
def account_tags(
    request: Request, session: SessionDep, account_id: AccountId
) -> list[dict[str, Any]]:
    return _tags_of(request, session, crud.get_user(session, account_id))


# --- Endorsements ---


def _accounts(
    request: Request,
    response: Response,
    session: SessionDep,
    user_id: int,
    max_id: int | None,
    limit: int,
) -> list[dict[str, Any]]:
    rows = featured.endorsed(session, user_id=user_id, before=max_id, limit=max(1, min(limit, 80)))
    link_header_ids(request, [pin_id for pin_id, _ in rows], response)
    stats = statuses.account_stats(session, [person.id for _, person in rows])
    return [serializers.account(p, stats[p.id], base_url(request)) for _, p in rows]


@router.get("/api/v1/endorsements")
def endorsements(
    request: Request,
    response: Response,
    session: SessionDep,
    me: ReadAccounts,
    max_id: MaxId = None,
    limit: Limit = 40,
) -> list[dict[str, Any]]:
    return _accounts(request, response, session, me.id, max_id, limit)


@router.get("/api/v1/accounts/{account_id}/endorsements")
def account_endorsements(
    request: Request,
    response: Response,
    session: SessionDep,
    account_id: AccountId,
    max_id: MaxId = None,
    limit: Limit = 40,
) -> list[dict[str, Any]]:
    crud.get_user(session, account_id)
    return _accounts(request, response, session, account_id, max_id, limit)


def _pinned(action: Any) -> None:
    try:
        action()
    except featured.NotFollowing as error:
        raise MastodonError(422, f"Validation failed: {error.message}") from error


@router.post("/api/v1/accounts/{account_id}/pin")
@router.post("/api/v1/accounts/{account_id}/endorse")
def pin(session: SessionDep, me: WriteAccounts, account_id: AccountId) -> dict[str, Any]:
    _pinned(lambda: featured.endorse(session, user_id=me.id, target_id=account_id))
    return relations.relationship(session, user_id=me.id, other_id=account_id)


@router.post("/api/v1/accounts/{account_id}/unpin")
@router.post("/api/v1/accounts/{account_id}/unendorse")
def unpin(session: SessionDep, me: WriteAccounts, account_id: AccountId) -> dict[str, Any]:
    featured.unendorse(session, user_id=me.id, target_id=account_id)
    return relations.relationship(session, user_id=me.id, other_id=account_id)
