"""Profile editing and follower lists (issue 16): update_credentials, followers, following."""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request, Response

from webapp.crud import follow_lists, follow_requests, statuses
from webapp.crud.follow_lists import Direction
from webapp.crud.profiles import ProfileChanges, ProfileInvalid, save_profile
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.body import Params, plain
from webapp.mastodon.deps import Viewer, user_with_scope
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.media import media_error, read_file
from webapp.mastodon.paging import WindowDep, base_url, link_header
from webapp.media.errors import MediaError
from webapp.models import User

router = APIRouter(prefix="/api/v1/accounts", route_class=MastodonRoute)
AccountId = Path(ge=1, le=2**62)
WriteAccounts = Annotated[User, Depends(user_with_scope("write:accounts"))]
TRUE, FALSE = {"1", "true", "on", "yes"}, {"0", "false", "off", "no", ""}


def _text(values: dict[str, Any], name: str) -> str | None:
    value = values.get(name)
    return None if value is None else plain(str(value), name, status=422)


def _bool(values: dict[str, Any], name: str) -> bool | None:
    value = values.get(name)
    if value is None or isinstance(value, bool):
        return value
    if str(value).lower() in TRUE | FALSE:
        return str(value).lower() in TRUE
    raise MastodonError(422, f"Validation failed: {name} must be true or false")


def _fields(values: dict[str, Any]) -> list[tuple[str, str]] | None:
    """fields_attributes[i][name|value] (a form), or fields_attributes as JSON (list or dict)."""
    attrs = values.get("fields_attributes")
    if isinstance(attrs, dict):
        attrs = list(attrs.values())
    if isinstance(attrs, list):
        return [
            (str(a.get("name", "")), str(a.get("value", ""))) for a in attrs if isinstance(a, dict)
        ]
    if not any(key.startswith("fields_attributes[") for key in values):
        return None
    pairs = []
    for index in range(8):
        name = values.get(f"fields_attributes[{index}][name]")
        value = values.get(f"fields_attributes[{index}][value]")
        if name is not None or value is not None:
            pairs.append(
                (_text({"v": name or ""}, "v") or "", _text({"v": value or ""}, "v") or "")
            )
    return pairs


@router.patch("/update_credentials")
def update_credentials(
    request: Request,
    session: SessionDep,
    values: Params,
    me: WriteAccounts,
) -> dict[str, Any]:
    changes = ProfileChanges(
        display_name=_text(values, "display_name"),
        bio=_text(values, "note"),
        avatar=read_file(values["avatar"], "avatar") if values.get("avatar") else None,
        header=read_file(values["header"], "header") if values.get("header") else None,
        fields=_fields(values),
        bot=_bool(values, "bot"),
    )
    try:
        user = save_profile(session, user_id=me.id, changes=changes)
    except MediaError as error:
        raise media_error(error) from error
    except ProfileInvalid as error:
        raise MastodonError(422, f"Validation failed: {error.message}") from error
    locked = _bool(values, "locked")
    if locked is not None:
        follow_requests.set_locked(session, user_id=me.id, locked=locked)
    stats = statuses.account_stats(session, [user.id])[user.id]
    waiting = follow_requests.pending_count(session, user_id=me.id)
    return serializers.credential_account(user, stats, base_url(request), waiting)


def _list(
    request: Request,
    response: Response,
    session: SessionDep,
    account_id: int,
    direction: Direction,
    window: statuses.Window,
) -> list[dict[str, Any]]:
    users = follow_lists.accounts(session, user_id=account_id, direction=direction, window=window)
    link_header(request, users, response)
    stats = statuses.account_stats(session, [u.id for u in users])
    return [serializers.account(u, stats[u.id], base_url(request)) for u in users]


@router.get("/{account_id}/followers")
def followers(
    request: Request,
    response: Response,
    session: SessionDep,
    _viewer: Viewer,
    window: WindowDep,
    account_id: int = AccountId,
) -> list[dict[str, Any]]:
    return _list(request, response, session, account_id, "followers", window)


@router.get("/{account_id}/following")
def following(
    request: Request,
    response: Response,
    session: SessionDep,
    _viewer: Viewer,
    window: WindowDep,
    account_id: int = AccountId,
) -> list[dict[str, Any]]:
    return _list(request, response, session, account_id, "following", window)
