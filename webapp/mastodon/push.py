"""/api/v1/push/subscription: an app's Web Push subscription, one per access token.

Parameters come as Mastodon's form keys (`subscription[keys][p256dh]`, `data[alerts][mention]`)
or as the same names nested in JSON; `policy` is read from `data[policy]` or, as Mastodon.py
and the docs' PUT send it, from a top-level `policy`. The pushes themselves: webapp/webpush.py.
"""

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from webapp.crud import push
from webapp.deps import SessionDep
from webapp.mastodon.body import Params, plain
from webapp.mastodon.deps import OptionalBearer, bearer_token, user_with_scope
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.paging import base_url
from webapp.models import User, WebPushSubscription

router = APIRouter(prefix="/api/v1/push/subscription", route_class=MastodonRoute)
_TRUE, _FALSE = ("1", "true", "on"), ("0", "false", "off", "")


@dataclass(frozen=True)
class Caller:
    user: User
    token_id: int
    token: str


def caller(request: Request, bearer: OptionalBearer) -> Caller:
    """The user, with the `push` scope, and the very token: subscriptions hang on it."""
    user = user_with_scope("push")(bearer)
    if bearer is None or bearer.token_id is None:  # user_with_scope refused it already
        raise MastodonError(401, "This method requires an authenticated user")
    return Caller(user, bearer.token_id, bearer_token(request) or "")


CallerDep = Annotated[Caller, Depends(caller)]


@router.post("")
def subscribe(
    request: Request, session: SessionDep, me: CallerDep, values: Params
) -> dict[str, Any]:
    server_key = push.vapid_keys(session).public_key  # before any write: SQLite's lock
    keys = push.checked_keys(
        _text(values, "subscription", "endpoint"),
        _text(values, "subscription", "keys", "p256dh"),
        _text(values, "subscription", "keys", "auth"),
    )
    row = push.subscribe(
        session,
        user_id=me.user.id,
        token_id=me.token_id,
        token=me.token,
        keys=keys,
        choice=_choice(values, me.user),
        server_url=base_url(request),
    )
    return entity(row, server_key)


@router.get("")
def show(session: SessionDep, me: CallerDep) -> dict[str, Any]:
    row = push.current(session, token_id=me.token_id)
    return entity(row, push.vapid_keys(session).public_key)


@router.put("")
def change(session: SessionDep, me: CallerDep, values: Params) -> dict[str, Any]:
    """Mastodon replaces the whole `data`: an alert not named is off, no policy is `all`."""
    server_key = push.vapid_keys(session).public_key
    push.current(session, token_id=me.token_id)  # none: a 404 before any word on the data
    row = push.change(session, token_id=me.token_id, choice=_choice(values, me.user))
    return entity(row, server_key)


@router.delete("")
def unsubscribe(session: SessionDep, me: CallerDep) -> dict[str, Any]:
    push.unsubscribe(session, token_id=me.token_id)
    return {}


def entity(row: WebPushSubscription, server_key: str) -> dict[str, Any]:
    """Mastodon's WebPushSubscription. Every push is RFC 8291 aes128gcm: `standard`."""
    return {
        "id": str(row.id),
        "endpoint": row.endpoint,
        "standard": True,
        "alerts": dict(row.alerts),
        "server_key": server_key,
        "policy": row.policy,
    }


def _choice(values: dict[str, Any], user: User) -> push.Choice:
    alerts = {name: _flag(values, "data", "alerts", name) for name in push.ALERTS}
    policy = _lookup(values, "data", "policy")
    if policy is None:
        policy = _lookup(values, "policy")
    policy = "all" if policy in (None, "") else policy
    return push.choice(alerts, policy if isinstance(policy, str) else "", admin=user.is_admin)


def _lookup(values: dict[str, Any], *path: str) -> object:
    """`a[b][c]` as a form key, or a → b → c in JSON."""
    flat = path[0] + "".join(f"[{part}]" for part in path[1:])
    if flat in values:
        return values[flat]
    found: object = values
    for part in path:
        if not isinstance(found, dict) or part not in found:
            return None
        found = found[part]
    return found


def _text(values: dict[str, Any], *path: str) -> str:
    value = _lookup(values, *path)
    name = path[0] + "".join(f"[{part}]" for part in path[1:])
    if value is None or value == "":
        raise MastodonError(422, f"Validation failed: {name} can't be blank")
    if not isinstance(value, str):
        raise MastodonError(422, f"Validation failed: {name} must be a string")
    return plain(value, name, status=422).strip()


def _flag(values: dict[str, Any], *path: str) -> bool:
    """true/false as JSON sends them, "1"/"0" or "true"/"false" as forms do."""
    value = _lookup(values, *path)
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    name = path[0] + "".join(f"[{part}]" for part in path[1:])
    raise MastodonError(422, f"Validation failed: {name} must be true or false")
