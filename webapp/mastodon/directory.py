"""The profile directory (/api/v1/directory) and familiar followers
(/api/v1/accounts/familiar_followers). Declared before /api/v1/accounts/{id}."""

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request

from webapp.crud import directory, statuses
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.body import Params, id_list
from webapp.mastodon.deps import user_with_scope
from webapp.mastodon.errors import MastodonRoute
from webapp.mastodon.paging import base_url
from webapp.models import User

router = APIRouter(route_class=MastodonRoute)
ReadFollows = Annotated[User, Depends(user_with_scope("read:follows"))]
MAX_OFFSET = 10_000
MAX_IDS = 40


def _json(request: Request, session: SessionDep, users: list[User]) -> list[dict[str, Any]]:
    stats = statuses.account_stats(session, [u.id for u in users])
    return [serializers.account(u, stats[u.id], base_url(request)) for u in users]


@router.get("/api/v1/directory")
def profile_directory(
    request: Request,
    session: SessionDep,
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET)] = 0,
    limit: int = 40,
    order: Literal["active", "new"] = "active",
    local: bool = False,  # every Chirp account is local: the answer is the same
) -> list[dict[str, Any]]:
    """Accounts others may find; Mastodon clamps `limit` to 80, so do we."""
    users = directory.directory(session, order=order, offset=offset, limit=max(1, min(limit, 80)))
    return _json(request, session, users)


@router.get("/api/v1/accounts/familiar_followers")
def familiar_followers(
    request: Request, session: SessionDep, me: ReadFollows, values: Params
) -> list[dict[str, Any]]:
    """`id[]=1&id[]=2` in the query (or a JSON body, as Mastodon.py sends): for each account,
    the people you follow who follow it."""
    ids = id_list(values, "id", most=MAX_IDS)
    raw = request.query_params.getlist("id[]")
    if len(raw) > 1:  # the query's repeated id[] (Params keeps only one of them)
        ids = id_list({"id": raw}, "id", most=MAX_IDS)
    found = directory.familiar_followers(session, user_id=me.id, other_ids=ids)
    people = {p.id: p for group in found.values() for p in group}
    stats = statuses.account_stats(session, people)
    base = base_url(request)
    return [
        {"id": str(i), "accounts": [serializers.account(p, stats[p.id], base) for p in found[i]]}
        for i in found
    ]
