"""Lists: /api/v1/lists (CRUD, members) and /api/v1/timelines/list/:id."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request, Response

from webapp import crud
from webapp.crud import lists, statuses
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.body import Params, id_list, text_param
from webapp.mastodon.deps import ReadStatuses, user_with_scope
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.paging import WindowDep, base_url, link_header, statuses_page
from webapp.models import List, User

router = APIRouter(route_class=MastodonRoute)
ReadLists = Annotated[User, Depends(user_with_scope("read:lists"))]
WriteLists = Annotated[User, Depends(user_with_scope("write:lists"))]
ListId = Annotated[int, Path(ge=1, le=2**31 - 1)]
MAX_IDS = 250


def entity(row: List) -> dict[str, Any]:
    return {
        "id": str(row.id),
        "title": row.title,
        "replies_policy": row.replies_policy,
        "exclusive": row.exclusive,
    }


def _flag(values: dict[str, Any], name: str) -> bool | None:
    value = values.get(name)
    if value is None:
        return None
    return value is True or str(value).lower() in ("1", "true", "on")


def _saved(action: Any) -> Any:
    try:
        return action()
    except lists.BadList as error:
        raise MastodonError(422, f"Validation failed: {error.message}") from error


@router.get("/api/v1/lists")
def my_lists(session: SessionDep, me: ReadLists) -> list[dict[str, Any]]:
    return [entity(row) for row in lists.my_lists(session, owner_id=me.id)]


@router.post("/api/v1/lists")
def create(session: SessionDep, me: WriteLists, values: Params) -> dict[str, Any]:
    row = _saved(
        lambda: lists.create_list(
            session,
            owner_id=me.id,
            title=text_param(values, "title", required=True) or "",
            replies_policy=text_param(values, "replies_policy") or "list",
            exclusive=bool(_flag(values, "exclusive")),
        )
    )
    return entity(row)


@router.get("/api/v1/lists/{list_id}")
def one(session: SessionDep, me: ReadLists, list_id: ListId) -> dict[str, Any]:
    return entity(lists.get_list(session, list_id=list_id, owner_id=me.id))


@router.put("/api/v1/lists/{list_id}")
def update(session: SessionDep, me: WriteLists, list_id: ListId, values: Params) -> dict[str, Any]:
    row = _saved(
        lambda: lists.update_list(
            session,
            list_id=list_id,
            owner_id=me.id,
            title=text_param(values, "title"),
            replies_policy=text_param(values, "replies_policy"),
            exclusive=_flag(values, "exclusive"),
        )
    )
    return entity(row)


@router.delete("/api/v1/lists/{list_id}")
def remove(session: SessionDep, me: WriteLists, list_id: ListId) -> dict[str, Any]:
    lists.delete_list(session, list_id=list_id, owner_id=me.id)
    return {}


@router.get("/api/v1/lists/{list_id}/accounts")
def accounts(
    request: Request,
    response: Response,
    session: SessionDep,
    me: ReadLists,
    list_id: ListId,
    max_id: Annotated[int | None, Query(ge=1, le=2**31 - 1)] = None,
    limit: int = lists.MEMBERS_PAGE,
) -> list[dict[str, Any]]:
    """Newest members first by account id; limit=0 means all of them, as Mastodon allows."""
    size = None if limit == 0 else max(1, min(limit, 80))
    people = lists.members(session, list_id=list_id, owner_id=me.id, before=max_id, limit=size)
    if size is not None and len(people) == size:
        link_header(request, people, response)
    stats = statuses.account_stats(session, (p.id for p in people))
    return [serializers.account(p, stats[p.id], base_url(request)) for p in people]


@router.post("/api/v1/lists/{list_id}/accounts")
def add(session: SessionDep, me: WriteLists, list_id: ListId, values: Params) -> dict[str, Any]:
    ids = id_list(values, "account_ids", most=MAX_IDS)
    try:
        lists.add_members(session, list_id=list_id, owner_id=me.id, user_ids=ids)
    except lists.NotFollowing as error:
        raise MastodonError(422, f"Validation failed: {error.message}") from error
    return {}


@router.delete("/api/v1/lists/{list_id}/accounts")
def drop(session: SessionDep, me: WriteLists, list_id: ListId, values: Params) -> dict[str, Any]:
    ids = id_list(values, "account_ids", most=MAX_IDS)
    lists.remove_members(session, list_id=list_id, owner_id=me.id, user_ids=ids)
    return {}


@router.get("/api/v1/timelines/list/{list_id}")
def timeline(
    request: Request,
    response: Response,
    session: SessionDep,
    me: ReadStatuses,
    window: WindowDep,
    list_id: ListId,
) -> list[dict[str, object]]:
    page = lists.list_statuses(session, list_id=list_id, owner_id=me.id, window=window)
    return statuses_page(session, request, response, page, me, "home")


@router.get("/api/v1/accounts/{account_id}/lists")
def lists_with_account(
    session: SessionDep, me: ReadLists, account_id: Annotated[int, Path(ge=1, le=2**31 - 1)]
) -> list[dict[str, Any]]:
    crud.get_user(session, account_id)
    return [entity(row) for row in lists.lists_with(session, owner_id=me.id, user_id=account_id)]
