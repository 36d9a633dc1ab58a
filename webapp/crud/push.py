"""Web Push subscriptions of Mastodon apps, and which of them a new notification reaches.

One subscription per access token (a new one replaces it); the token's, its app's or the
account's deletion takes it along (ON DELETE CASCADE). Sending is webapp/webpush.py's: this
module only says who wants what. The server's VAPID pair comes from the settings, or is
made once and kept in `server_keys`, so every process signs with the same one.
"""

import base64
import ipaddress
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from sqlalchemy import delete, exists, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from webapp import vapid
from webapp.config import settings
from webapp.crud.errors import DomainError, NotFound
from webapp.crud.visibility import blocked_between, muting
from webapp.models import (
    PUSH_POLICIES,
    Follow,
    Notification,
    ServerKey,
    Tweet,
    User,
    WebPushSubscription,
)

# Every alert Mastodon names (4.5 adds quote); Chirp makes the kinds in NOTIFICATION_KINDS.
ALERTS = (
    "mention",
    "status",
    "reblog",
    "follow",
    "follow_request",
    "favourite",
    "poll",
    "update",
    "quote",
    "admin.sign_up",
    "admin.report",
)
ADMIN_ALERTS = frozenset({"admin.sign_up", "admin.report"})
VAPID = "vapid"  # its name in server_keys
ENDPOINT_MAX = 2000


class BadSubscription(DomainError):
    message = "The push subscription is not valid"


@dataclass(frozen=True)
class Keys:
    """What the app's push service gave it: where to post, and how to encrypt for it."""

    endpoint: str
    p256dh: str
    auth: str


@dataclass(frozen=True)
class Choice:
    """The `data` part: which alerts, from whom. Only this changes on PUT."""

    alerts: dict[str, bool]
    policy: str = "all"


def vapid_keys(session: Session) -> vapid.KeyPair:
    """The settings' pair, else the stored one, made by whichever process asks first: an
    insert that yields to a row already there, on a connection of its own (a GET's session
    may be reading in autocommit), then read back, so two processes end with the same."""
    if settings.vapid_private_key and settings.vapid_public_key:
        return vapid.KeyPair(settings.vapid_private_key, settings.vapid_public_key)
    row = session.get(ServerKey, VAPID)
    if row is None:
        made = vapid.generate()
        values = {"name": VAPID, "private_key": made.private_key, "public_key": made.public_key}
        bind = session.get_bind()
        with (bind.engine if isinstance(bind, Connection) else bind).begin() as connection:
            connection.execute(_insert(connection.dialect.name, values))
        row = session.get(ServerKey, VAPID, populate_existing=True)
    if row is None:  # only if the row was deleted between the two statements
        raise RuntimeError("the VAPID key pair could not be stored")
    return vapid.KeyPair(row.private_key, row.public_key)


def _insert(dialect: str, values: dict[str, str]) -> Executable:
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    return insert(ServerKey).values(values).on_conflict_do_nothing()


def checked_keys(endpoint: str, p256dh: str, auth: str) -> Keys:
    """Refuse in plain words what could never be pushed to; keys are kept as base64url."""
    check_endpoint(endpoint)
    try:
        point = vapid.b64decode(p256dh)
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError as error:
        raise BadSubscription(
            "subscription[keys][p256dh] must be a base64 P-256 public key (65 bytes)"
        ) from error
    try:
        secret = vapid.b64decode(auth)
    except ValueError:
        secret = b""
    if len(secret) != 16:
        raise BadSubscription("subscription[keys][auth] must be 16 bytes in base64")
    return Keys(endpoint, _b64url(point), _b64url(secret))


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def check_endpoint(endpoint: str) -> None:
    """An https URL of a public host: the server posts wherever this says, so never to
    itself or a neighbour (PUSH_ALLOW_PRIVATE_ENDPOINTS lifts that for local tests)."""
    if len(endpoint) > ENDPOINT_MAX:
        raise BadSubscription(f"subscription[endpoint] can have at most {ENDPOINT_MAX} characters")
    try:
        parts = urlsplit(endpoint)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - a port past 65535 raises here
    except ValueError as error:
        raise BadSubscription("subscription[endpoint] is not a valid URL") from error
    schemes = ("https", "http") if settings.push_allow_private_endpoints else ("https",)
    if parts.scheme not in schemes or not host:
        raise BadSubscription("subscription[endpoint] must be an https:// URL")
    if not settings.push_allow_private_endpoints and not public_host(host):
        raise BadSubscription("subscription[endpoint] must be on a public host")


def public_host(host: str) -> bool:
    """False for localhost and for literal loopback, private or reserved addresses."""
    if host == "localhost" or host.endswith(".localhost"):
        return False
    try:
        return ipaddress.ip_address(host).is_global
    except ValueError:
        return True  # a name: webapp/webpush.py checks what it resolves to before sending


def choice(alerts: dict[str, bool], policy: str, *, admin: bool) -> Choice:
    """Every alert named, off unless asked for; the admin ones only for admins."""
    if policy not in PUSH_POLICIES:
        raise BadSubscription("policy must be all, followed, follower or none")
    chosen = {name: bool(alerts.get(name)) for name in ALERTS}
    if not admin:
        chosen.update(dict.fromkeys(ADMIN_ALERTS, False))
    return Choice(chosen, policy)


def subscribe(
    session: Session,
    *,
    user_id: int,
    token_id: int,
    token: str,
    keys: Keys,
    choice: Choice,
    server_url: str,
) -> WebPushSubscription:
    """The token's subscription, replacing any it had (one statement: a concurrent POST for
    the same token meets the unique key, not a second row)."""
    values = {
        "user_id": user_id,
        "token_id": token_id,
        "endpoint": keys.endpoint,
        "key_p256dh": keys.p256dh,
        "key_auth": keys.auth,
        "alerts": choice.alerts,
        "policy": choice.policy,
        "access_token_sealed": seal(token, token_id),
        "server_url": server_url,
    }
    dialect = session.get_bind().dialect.name
    insert = (postgresql.insert if dialect == "postgresql" else sqlite.insert)(WebPushSubscription)
    update = {key: value for key, value in values.items() if key != "token_id"}
    statement = insert.values(values).on_conflict_do_update(
        index_elements=["token_id"], set_=update
    )
    session.execute(statement)
    session.commit()
    return current(session, token_id=token_id)


def current(session: Session, *, token_id: int) -> WebPushSubscription:
    row = session.scalar(
        select(WebPushSubscription)
        .where(WebPushSubscription.token_id == token_id)
        .execution_options(populate_existing=True)
    )
    if row is None:
        raise NotFound("Record not found")
    return row


def change(session: Session, *, token_id: int, choice: Choice) -> WebPushSubscription:
    row = current(session, token_id=token_id)
    row.alerts, row.policy = choice.alerts, choice.policy
    session.commit()
    return row


def unsubscribe(session: Session, *, token_id: int) -> None:
    """Gone, or never there: the same answer (Mastodon's)."""
    session.execute(delete(WebPushSubscription).where(WebPushSubscription.token_id == token_id))
    session.commit()


def forget(session: Session, subscription_id: int) -> None:
    """The push service said the subscription is gone (404 or 410)."""
    session.execute(delete(WebPushSubscription).where(WebPushSubscription.id == subscription_id))
    session.commit()


def has_subscriptions(session: Session, user_id: int) -> bool:
    return bool(session.scalar(select(exists().where(WebPushSubscription.user_id == user_id))))


# --- Which subscriptions a notification reaches ---


@dataclass(frozen=True)
class Due:
    """One push to send: the subscription and what the payload is built from."""

    subscription: WebPushSubscription
    access_token: str
    notification: Notification
    actor: User
    tweet: Tweet | None


def due(session: Session, notification_id: int) -> list[Due]:
    """The recipient's subscriptions whose alerts and policy let this notification through;
    none if it was undone meanwhile (an unlike deletes it) or its actor is now unwanted."""
    row = session.get(Notification, notification_id)
    if row is None:
        return []
    subscriptions = session.scalars(
        select(WebPushSubscription).where(WebPushSubscription.user_id == row.recipient_id)
    ).all()
    wanted = [s for s in subscriptions if s.alerts.get(row.kind) and s.policy != "none"]
    if not wanted:
        return []
    they_follow, i_follow, unwanted = _relation(session, row.recipient_id, row.actor_id)
    if unwanted:
        return []
    allowed = {"all": True, "follower": they_follow, "followed": i_follow}
    actor = session.get(User, row.actor_id)
    tweet = session.get(Tweet, row.tweet_id) if row.tweet_id is not None else None
    if actor is None:
        return []
    return [
        Due(s, unseal(s.access_token_sealed, s.token_id), row, actor, tweet)
        for s in wanted
        if allowed.get(s.policy)
    ]


def _relation(session: Session, me: int, actor: int) -> tuple[bool, bool, bool]:
    """Whether they follow me, whether I follow them, and whether I want nothing of theirs
    (a block either way, or a mute of their notifications): one statement."""
    row = session.execute(
        select(
            exists().where(Follow.follower_id == actor, Follow.followee_id == me),
            exists().where(Follow.follower_id == me, Follow.followee_id == actor),
            or_(blocked_between(me, actor), muting(me, actor, notifications=True)),
        )
    ).one()
    return bool(row[0]), bool(row[1]), bool(row[2])


# --- The access token, kept sealed ---


def _box() -> AESGCM:
    key = HKDF(hashes.SHA256(), 32, salt=None, info=b"chirp web push access token")
    return AESGCM(key.derive(settings.secret_key.encode()))


def seal(token: str, token_id: int) -> str:
    nonce = os.urandom(12)
    sealed = _box().encrypt(nonce, token.encode(), str(token_id).encode())
    return base64.urlsafe_b64encode(nonce + sealed).decode()


def unseal(sealed: str, token_id: int) -> str:
    """The token, or "" if SECRET_KEY changed since (the push still goes, without it)."""
    try:
        raw = base64.urlsafe_b64decode(sealed)
        return _box().decrypt(raw[:12], raw[12:], str(token_id).encode()).decode()
    except (InvalidTag, ValueError):
        return ""
