"""Filters (issue 17): /api/v2/filters (CRUD, with keywords_attributes), their keywords and
statuses one at a time, and the v1 filters older clients still read and write (one v1
filter per v2 keyword, as Mastodon presents them)."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path

from webapp.crud import filter_items, filters
from webapp.crud.filters import FilterView
from webapp.deps import SessionDep
from webapp.mastodon.body import Params, text_param
from webapp.mastodon.deps import user_with_scope
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.filter_body import (
    FilterParams,
    context_list,
    expires_in,
    flag,
    keyword_changes,
)
from webapp.mastodon.serializers import filter_head, rfc3339
from webapp.models import Filter, FilterKeyword, FilterStatus, User

router = APIRouter(route_class=MastodonRoute)
ReadFilters = Annotated[User, Depends(user_with_scope("read:filters"))]
WriteFilters = Annotated[User, Depends(user_with_scope("write:filters"))]
Id = Annotated[int, Path(ge=1, le=2**31 - 1)]
V2 = "/api/v2/filters"


def keyword_entity(row: FilterKeyword) -> dict[str, Any]:
    return {"id": str(row.id), "keyword": row.keyword, "whole_word": row.whole_word}


def status_entity(row: FilterStatus) -> dict[str, Any]:
    return {"id": str(row.id), "status_id": str(row.status_id)}


def entity(view: FilterView) -> dict[str, Any]:
    return filter_head(view.row) | {
        "keywords": [keyword_entity(k) for k in view.keywords],
        "statuses": [status_entity(s) for s in view.statuses],
    }


def v1_entity(row: Filter, keyword: FilterKeyword) -> dict[str, Any]:
    return {
        "id": str(keyword.id),
        "phrase": keyword.keyword,
        "context": list(row.context),
        "whole_word": keyword.whole_word,
        "expires_at": rfc3339(row.expires_at) if row.expires_at else None,
        "irreversible": row.filter_action == "hide",
    }


# --- Keywords and statuses first: their paths would otherwise read as a filter id.


@router.get(V2 + "/keywords/{keyword_id}")
def get_keyword(session: SessionDep, me: ReadFilters, keyword_id: Id) -> dict[str, Any]:
    return keyword_entity(filter_items.get_keyword(session, keyword_id=keyword_id, user_id=me.id))


@router.put(V2 + "/keywords/{keyword_id}")
def update_keyword(
    session: SessionDep, me: WriteFilters, keyword_id: Id, values: Params
) -> dict[str, Any]:
    raw_flag = values.get("whole_word")
    row = filter_items.update_keyword(
        session,
        keyword_id=keyword_id,
        user_id=me.id,
        keyword=text_param(values, "keyword"),
        whole_word=None if raw_flag is None else flag(raw_flag, True),
    )
    return keyword_entity(row)


@router.delete(V2 + "/keywords/{keyword_id}")
def delete_keyword(session: SessionDep, me: WriteFilters, keyword_id: Id) -> dict[str, Any]:
    filter_items.delete_keyword(session, keyword_id=keyword_id, user_id=me.id)
    return {}


@router.get(V2 + "/statuses/{filter_status_id}")
def get_status(session: SessionDep, me: ReadFilters, filter_status_id: Id) -> dict[str, Any]:
    row = filter_items.get_status(session, filter_status_id=filter_status_id, user_id=me.id)
    return status_entity(row)


@router.delete(V2 + "/statuses/{filter_status_id}")
def delete_status(session: SessionDep, me: WriteFilters, filter_status_id: Id) -> dict[str, Any]:
    filter_items.delete_status(session, filter_status_id=filter_status_id, user_id=me.id)
    return {}


@router.get(V2)
def my_filters(session: SessionDep, me: ReadFilters) -> list[dict[str, Any]]:
    return [entity(view) for view in filters.my_filters(session, user_id=me.id)]


@router.post(V2)
def create(session: SessionDep, me: WriteFilters, values: FilterParams) -> dict[str, Any]:
    context = context_list(values)
    view = filters.create_filter(
        session,
        user_id=me.id,
        title=text_param(values, "title", required=True) or "",
        context=context or [],
        filter_action=text_param(values, "filter_action") or "warn",
        expires_in=expires_in(values),
        keywords=[k for k in keyword_changes(values) if not k.destroy],
    )
    return entity(view)


@router.get(V2 + "/{filter_id}")
def one(session: SessionDep, me: ReadFilters, filter_id: Id) -> dict[str, Any]:
    return entity(filters.view(session, filter_id=filter_id, user_id=me.id))


@router.put(V2 + "/{filter_id}")
def update(
    session: SessionDep, me: WriteFilters, filter_id: Id, values: FilterParams
) -> dict[str, Any]:
    """Only what is sent changes; `expires_in` sent empty means never."""
    try:
        view = filters.update_filter(
            session,
            filter_id=filter_id,
            user_id=me.id,
            title=text_param(values, "title"),
            context=context_list(values),
            filter_action=text_param(values, "filter_action"),
            set_expiry="expires_in" in values,
            expires_in=expires_in(values),
            keywords=keyword_changes(values),
        )
    except (filters.BadFilter, MastodonError):
        session.rollback()  # nothing half-changed stays in the session
        raise
    return entity(view)


@router.delete(V2 + "/{filter_id}")
def remove(session: SessionDep, me: WriteFilters, filter_id: Id) -> dict[str, Any]:
    filters.delete_filter(session, filter_id=filter_id, user_id=me.id)
    return {}


@router.get(V2 + "/{filter_id}/keywords")
def keywords(session: SessionDep, me: ReadFilters, filter_id: Id) -> list[dict[str, Any]]:
    filters.get_filter(session, filter_id=filter_id, user_id=me.id)
    return [keyword_entity(k) for k in filters.keywords_of(session, filter_id)]


@router.post(V2 + "/{filter_id}/keywords")
def add_keyword(
    session: SessionDep, me: WriteFilters, filter_id: Id, values: Params
) -> dict[str, Any]:
    row = filter_items.add_keyword(
        session,
        filter_id=filter_id,
        user_id=me.id,
        keyword=text_param(values, "keyword", required=True) or "",
        whole_word=flag(values.get("whole_word"), True),
    )
    return keyword_entity(row)


@router.get(V2 + "/{filter_id}/statuses")
def statuses(session: SessionDep, me: ReadFilters, filter_id: Id) -> list[dict[str, Any]]:
    filters.get_filter(session, filter_id=filter_id, user_id=me.id)
    return [status_entity(s) for s in filters.statuses_of(session, filter_id)]


@router.post(V2 + "/{filter_id}/statuses")
def add_status(
    session: SessionDep, me: WriteFilters, filter_id: Id, values: Params
) -> dict[str, Any]:
    raw = values.get("status_id")
    if raw is None or raw == "":
        raise MastodonError(422, "Validation failed: status_id can't be blank")
    try:
        status_id = int(str(raw))
    except ValueError:
        raise MastodonError(404, "Record not found") from None
    if not 0 < status_id < 2**31:
        raise MastodonError(404, "Record not found")
    row = filter_items.add_status(session, filter_id=filter_id, user_id=me.id, status_id=status_id)
    return status_entity(row)


# --- v1: one entry per keyword of a v2 filter; megalodon's apps write filters only here.


@router.get("/api/v1/filters")
def v1_filters(session: SessionDep, me: ReadFilters) -> list[dict[str, Any]]:
    return [
        v1_entity(view.row, keyword)
        for view in filters.my_filters(session, user_id=me.id)
        for keyword in view.keywords
    ]


@router.get("/api/v1/filters/{keyword_id}")
def v1_filter(session: SessionDep, me: ReadFilters, keyword_id: Id) -> dict[str, Any]:
    keyword = filter_items.get_keyword(session, keyword_id=keyword_id, user_id=me.id)
    row = filters.get_filter(session, filter_id=keyword.filter_id, user_id=me.id)
    return v1_entity(row, keyword)


@router.post("/api/v1/filters")
def v1_create(session: SessionDep, me: WriteFilters, values: Params) -> dict[str, Any]:
    """A new filter of one keyword, titled by its phrase (Mastodon's deprecated v1 call)."""
    view = filter_items.create_phrase(
        session,
        user_id=me.id,
        phrase=text_param(values, "phrase", required=True) or "",
        context=context_list(values) or [],
        irreversible=flag(values.get("irreversible"), False),
        whole_word=flag(values.get("whole_word"), True),
        expires_in=expires_in(values),
    )
    return v1_entity(view.row, view.keywords[0])


@router.put("/api/v1/filters/{keyword_id}")
def v1_update(
    session: SessionDep, me: WriteFilters, keyword_id: Id, values: Params
) -> dict[str, Any]:
    """The phrase and whole_word change the keyword; context, irreversible and expires_in
    change its filter, refused (422) when that filter has other keywords too."""
    raw_irreversible, raw_whole_word = values.get("irreversible"), values.get("whole_word")
    row, keyword = filter_items.update_phrase(
        session,
        keyword_id=keyword_id,
        user_id=me.id,
        phrase=text_param(values, "phrase"),
        whole_word=None if raw_whole_word is None else flag(raw_whole_word, True),
        context=context_list(values),
        irreversible=None if raw_irreversible is None else flag(raw_irreversible, False),
        set_expiry="expires_in" in values,
        expires_in=expires_in(values),
    )
    return v1_entity(row, keyword)


@router.delete("/api/v1/filters/{keyword_id}")
def v1_delete(session: SessionDep, me: WriteFilters, keyword_id: Id) -> dict[str, Any]:
    """The keyword goes, and its filter if nothing else is left in it."""
    filter_items.delete_phrase(session, keyword_id=keyword_id, user_id=me.id)
    return {}
