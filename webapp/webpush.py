"""Sending Web Push (RFC 8030) to Mastodon apps' subscriptions, after the request.

A new notification (webapp/crud/notifications.py) is handed to webapp/jobs.py: on PostgreSQL
a job deferred in the notification's own transaction, on SQLite (no queue) a thread started
once the transaction commits. Either ends in `deliver`, which asks webapp/crud/push.py who
wants it and posts each push with pywebpush: the payload Mastodon sends, encrypted for the
subscription (RFC 8291, aes128gcm), signed with the server's VAPID key (RFC 8292), with a TTL.
No database connection is held while a push service answers. A 404 or 410 means the
subscription is gone and it is deleted; anything else is logged, and the others still go.
"""

import json
import logging
import socket
import threading
from concurrent.futures import Future, ThreadPoolExecutor, wait
from email.utils import parseaddr
from ipaddress import ip_address
from typing import Any
from urllib.parse import urlsplit

import requests
from py_vapid import Vapid
from pywebpush import WebPushException, webpush
from sqlalchemy import event
from sqlalchemy.orm import Session

from webapp.config import settings
from webapp.crud import push
from webapp.db import SessionLocal
from webapp.media import storage
from webapp.vapid import KeyPair

log = logging.getLogger(__name__)

TTL = 48 * 3600  # Mastodon's: a phone offline for two days still gets it
TIMEOUT = 10  # seconds a push service may take to answer
BODY_MAX = 140  # Mastodon's cut of the body text
PENDING = "pending_pushes"  # Session.info key: notification ids waiting for the commit
DEFAULT_AVATAR = "static/mastodon/avatar.png"  # as the Mastodon API's accounts show it
# Mastodon's English titles (its notification_mailer subjects), by notification type.
TITLES = {
    "mention": "You were mentioned by {name}",
    "favourite": "{name} favorited your post",
    "reblog": "{name} boosted your post",
    "quote": "{name} quoted your post",
    "follow": "{name} followed you",
    "follow_request": "Pending follower: {name}",
    "status": "{name} just posted",
    "update": "{name} edited a post",
    "poll": "A poll by {name} has ended",
}


def deliver(notification_id: int) -> int:
    """Push one notification to every subscription that wants it; returns how many took it."""
    with SessionLocal() as session:
        due = push.due(session, notification_id)
        if not due:
            return 0
        keys = push.vapid_keys(session)
        outgoing = [(d.subscription.id, _info(d.subscription), payload(d)) for d in due]
    sent = 0
    for subscription_id, info, body in outgoing:
        outcome = send(info, body, keys)
        if outcome == "gone":
            with SessionLocal() as session:
                push.forget(session, subscription_id)
        sent += outcome == "sent"
    return sent


def _info(subscription: Any) -> dict[str, Any]:
    keys = {"p256dh": subscription.key_p256dh, "auth": subscription.key_auth}
    return {"endpoint": subscription.endpoint, "keys": keys}


def payload(due: push.Due) -> dict[str, Any]:
    """Mastodon's push payload (Web::NotificationSerializer)."""
    actor, row = due.actor, due.notification
    name = actor.display_name or actor.username
    return {
        "access_token": due.access_token,
        "preferred_locale": "en",
        "notification_id": row.id,
        "notification_type": row.kind,
        "icon": _icon(actor.avatar_key, due.subscription.server_url),
        "title": TITLES.get(row.kind, "New notification from {name}").format(name=name),
        "body": _body(due),
    }


def _icon(avatar_key: str | None, base: str) -> str:
    url = storage.storage().url(avatar_key) if avatar_key else "/" + DEFAULT_AVATAR
    return base.rstrip("/") + url if url.startswith("/") else url


def _body(due: push.Due) -> str:
    """The post's content warning or text, or the follower's bio; cut as Mastodon cuts it."""
    tweet = due.tweet
    text = (tweet.spoiler_text or tweet.text) if tweet is not None else due.actor.bio
    text = " ".join(text.split())
    return text if len(text) <= BODY_MAX else text[: BODY_MAX - 3] + "..."


def send(info: dict[str, Any], body: dict[str, Any], keys: KeyPair) -> str:
    """One push: "sent", "gone" (the service answered 404 or 410), or "failed" (logged)."""
    endpoint = info["endpoint"]
    parts = urlsplit(endpoint)
    if not settings.push_allow_private_endpoints and not _resolves_public(parts.hostname or ""):
        log.warning("web push to %s refused: not a public address", parts.hostname)
        return "failed"
    try:
        webpush(
            subscription_info=info,
            data=json.dumps(body, ensure_ascii=False),
            vapid_private_key=Vapid.from_string(keys.private_key),
            vapid_claims={"sub": subject(), "aud": f"{parts.scheme}://{parts.netloc}"},
            content_encoding="aes128gcm",
            ttl=TTL,
            timeout=TIMEOUT,
            headers={"Urgency": "normal"},
            requests_session=_no_redirects(),
        )
    except WebPushException as error:
        if error.status_code in (404, 410):
            return "gone"
        log.warning("web push to %s failed: %s", parts.hostname, error.message.splitlines()[0])
        return "failed"
    except Exception:  # a refused connection, a timeout, a redirect: the next one still goes
        log.exception("web push to %s failed", parts.hostname)
        return "failed"
    return "sent"


def _no_redirects() -> requests.Session:
    """A redirect could lead anywhere, a private address too: it fails instead."""
    session = requests.Session()
    session.max_redirects = 0
    return session


def _resolves_public(host: str) -> bool:
    """Every address the name has is a public one (checked again at each send, not only
    when subscribing: a name can be pointed elsewhere later)."""
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(host, None)}
    except (OSError, UnicodeError):
        return False
    return bool(addresses) and all(ip_address(a.split("%")[0]).is_global for a in addresses)


def subject() -> str:
    """The VAPID `sub` claim: whom a push service may contact about these pushes."""
    if settings.vapid_subject:
        return settings.vapid_subject
    public = urlsplit(settings.public_url or "")
    if public.scheme == "https" and public.port is None:
        return f"https://{public.hostname}"
    return f"mailto:{parseaddr(settings.smtp_from)[1] or 'chirp@localhost'}"


# --- SQLite: no queue, so a thread after the commit ---

_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="webpush")
_running: set[Future[int]] = set()
_lock = threading.Lock()


def after_commit(session: Session, notification_id: int) -> None:
    """Deliver once `session` commits; never if it rolls back."""
    session.info.setdefault(PENDING, []).append(notification_id)


@event.listens_for(SessionLocal, "after_commit")
def _start_pending(session: Session) -> None:
    for notification_id in session.info.pop(PENDING, []):
        future = _pool.submit(_deliver_logged, notification_id)
        with _lock:
            _running.add(future)
        future.add_done_callback(_done)


@event.listens_for(SessionLocal, "after_soft_rollback")
def _drop_pending(session: Session, previous: Any) -> None:
    if not previous.nested:  # a savepoint's rollback leaves the rest of the transaction
        session.info.pop(PENDING, None)


def _deliver_logged(notification_id: int) -> int:
    try:
        return deliver(notification_id)
    except Exception:  # a thread's exception would otherwise vanish unseen
        log.exception("web push for notification %s failed", notification_id)
        return 0


def _done(future: Future[int]) -> None:
    with _lock:
        _running.discard(future)


def wait_idle(timeout: float = 30) -> None:
    """Until the pushes started so far are sent (tests; SQLite only has these threads)."""
    with _lock:
        running = set(_running)
    wait(running, timeout=timeout)
