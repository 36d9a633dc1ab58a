"""Web Push for Mastodon apps: Mastodon.py subscribes against a live Chirp, and a push
service of our own (a small HTTP server in a thread) receives the pushes. It holds the
subscription's private key and auth secret, so it checks what a real one and the app would:
the VAPID JWT against the server_key, then decrypts the aes128gcm body with http_ece."""

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
import httpx
import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from fastapi.testclient import TestClient
from mastodon.errors import MastodonNotFoundError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.conftest import IS_POSTGRES
from tests.factories import PASSWORD, make_tweet, make_user
from tests.mastodon_helpers import mastodon_py
from tests.processes import app_process
from webapp import crud, jobs, webpush
from webapp.config import settings
from webapp.crud import blocks, lifecycle
from webapp.models import Notification, ServerKey, User, WebPushSubscription

EVERY_ALERT = {"follow_events": True, "favourite_events": True, "mention_events": True}


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class PushService:
    """Answers `status` to every push, after writing it down."""

    url: str
    status: int = 201
    received: list[Received] = field(default_factory=list)


@pytest.fixture
def push_service() -> Iterator[PushService]:
    service = PushService(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k.lower(): v for k, v in self.headers.items()}
            service.received.append(Received(self.path, headers, body))
            self.send_response(service.status)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    service.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield service
    server.shutdown()
    server.server_close()


@pytest.fixture(autouse=True)
def _local_push_services(monkeypatch: pytest.MonkeyPatch) -> None:
    """The push service above lives on 127.0.0.1 over http, which production refuses."""
    monkeypatch.setattr(settings, "push_allow_private_endpoints", True)


class Device:
    """What a phone's push stack keeps: a P-256 key pair and a 16-byte auth secret."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.auth = os.urandom(16)
        point = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.public = {"pubkey": point, "auth": self.auth}  # Mastodon.py's encrypt_params

    def open(self, push: Received, server_key: str, audience: str) -> dict[str, Any]:
        """Check the push as a push service and the app would; return its payload."""
        scheme, _, params = push.headers["authorization"].partition(" ")
        assert scheme == "vapid"
        parts = dict(p.split("=", 1) for p in params.split(","))
        assert unb64(parts["k"]) == unb64(server_key)
        claims = verified_jwt(parts["t"], unb64(server_key))
        assert claims["aud"] == audience
        assert claims["exp"] > time.time()
        assert claims["sub"].startswith(("mailto:", "https://"))
        assert push.headers["content-encoding"] == "aes128gcm"
        assert int(push.headers["ttl"]) > 0
        plain = http_ece.decrypt(
            push.body, private_key=self.key, auth_secret=self.auth, version="aes128gcm"
        )
        payload: dict[str, Any] = json.loads(plain)
        return payload


def verified_jwt(token: str, public_point: bytes) -> dict[str, Any]:
    """An ES256 JWT's claims, once its signature checks out against the public key."""
    header, claims, signature = token.split(".")
    assert json.loads(unb64(header))["alg"] == "ES256"
    raw = unb64(signature)
    der = encode_dss_signature(int.from_bytes(raw[:32], "big"), int.from_bytes(raw[32:], "big"))
    key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), public_point)
    key.verify(der, f"{header}.{claims}".encode(), ec.ECDSA(hashes.SHA256()))  # raises if not
    result: dict[str, Any] = json.loads(unb64(claims))
    return result


def settle() -> None:
    """Let the work that left the requests finish: the job queue on PostgreSQL, the push
    threads on SQLite."""
    if IS_POSTGRES:
        jobs.run_pending()
    webpush.wait_idle()


def subscriptions(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(WebPushSubscription)) or 0


def test_a_like_reaches_the_apps_push_endpoint_signed_and_encrypted(
    live_server: str, session: Session, push_service: PushService
):
    bob, alice = make_user(session, "bob"), make_user(session, "alice")
    alice.display_name = "Alice A."
    session.commit()
    tweet = make_tweet(session, bob, "my first  post\nof the day")
    api = mastodon_py(live_server, bob.email)
    device = Device()

    subscription = api.push_subscription_set(
        f"{push_service.url}/push/bob", device.public, favourite_events=True
    )
    assert subscription["alerts"]["favourite"] is True
    assert subscription["alerts"]["mention"] is False
    assert subscription["policy"] == "all" and subscription["standard"] is True
    crud.like(session, user_id=alice.id, tweet_id=tweet.id)
    settle()

    [push] = push_service.received
    assert push.path == "/push/bob"
    payload = device.open(push, subscription["server_key"], push_service.url)
    notification = session.scalar(select(Notification).where(Notification.recipient_id == bob.id))
    assert notification is not None
    assert payload == {
        "access_token": api.access_token,
        "preferred_locale": "en",
        "notification_id": notification.id,
        "notification_type": "favourite",
        "icon": f"{live_server}/static/mastodon/avatar.png",
        "title": "Alice A. favorited your post",
        "body": "my first post of the day",
    }


def test_the_server_key_is_the_same_everywhere_mastodon_shows_it(
    live_server: str, session: Session, push_service: PushService
):
    bob = make_user(session, "bob")
    api = mastodon_py(live_server, bob.email)
    subscription = api.push_subscription_set(push_service.url, Device().public, mention_events=1)
    key = subscription["server_key"]
    assert len(unb64(key)) == 65 and unb64(key)[0] == 4
    assert api.instance_v2()["configuration"]["vapid"]["public_key"] == key
    assert api.app_verify_credentials()["vapid_key"] == key
    app = httpx.post(f"{live_server}/api/v1/apps", data={"client_name": "x"}).json()
    assert app["vapid_key"] == key


def test_subscribe_read_change_and_delete_with_mastodon_py(
    live_server: str, session: Session, push_service: PushService
):
    bob = make_user(session, "bob")
    api = mastodon_py(live_server, bob.email)
    with pytest.raises(MastodonNotFoundError):
        api.push_subscription()

    made = api.push_subscription_set(push_service.url, Device().public, **EVERY_ALERT)
    assert api.push_subscription() == made
    changed = api.push_subscription_update(mention_events=True, policy="followed")
    assert changed["id"] == made["id"]
    assert changed["policy"] == "followed"
    # Mastodon replaces the alerts: only the one named stays on.
    assert [name for name, on in changed["alerts"].items() if on] == ["mention"]
    assert api.push_subscription()["alerts"] == changed["alerts"]

    again = api.push_subscription_set(push_service.url + "/new", Device().public)
    assert again["endpoint"] == push_service.url + "/new"
    assert subscriptions(session) == 1  # one per access token: the new one replaced it
    api.push_subscription_delete()
    with pytest.raises(MastodonNotFoundError):
        api.push_subscription()
    api.push_subscription_delete()  # nothing left: still fine, as on Mastodon


def test_an_alert_left_off_sends_nothing(
    live_server: str, session: Session, push_service: PushService
):
    bob, alice = make_user(session, "bob"), make_user(session, "alice")
    tweet = make_tweet(session, bob)
    api = mastodon_py(live_server, bob.email)
    api.push_subscription_set(push_service.url, Device().public, mention_events=True)

    crud.like(session, user_id=alice.id, tweet_id=tweet.id)
    crud.follow(session, follower_id=alice.id, followee_id=bob.id)
    settle()
    assert push_service.received == []
    crud.create_tweet(session, owner_id=alice.id, text="@bob look at this")
    settle()
    assert len(push_service.received) == 1


def test_a_gone_subscription_is_deleted_when_the_push_service_says_410(
    live_server: str, session: Session, push_service: PushService
):
    bob, alice = make_user(session, "bob"), make_user(session, "alice")
    api = mastodon_py(live_server, bob.email)
    api.push_subscription_set(push_service.url, Device().public, follow_events=True)
    push_service.status = 410

    crud.follow(session, follower_id=alice.id, followee_id=bob.id)
    settle()
    assert len(push_service.received) == 1
    with pytest.raises(MastodonNotFoundError):
        api.push_subscription()


def test_a_failing_push_service_is_logged_and_keeps_the_subscription(
    live_server: str, session: Session, push_service: PushService, caplog: pytest.LogCaptureFixture
):
    bob, alice = make_user(session, "bob"), make_user(session, "alice")
    api = mastodon_py(live_server, bob.email)
    api.push_subscription_set(push_service.url, Device().public, follow_events=True)
    push_service.status = 500

    crud.follow(session, follower_id=alice.id, followee_id=bob.id)
    settle()
    assert len(push_service.received) == 1
    assert "web push to 127.0.0.1 failed" in caplog.text
    assert api.push_subscription()["alerts"]["follow"] is True


def test_muted_and_blocked_people_make_no_push(
    live_server: str, session: Session, push_service: PushService
):
    bob, alice, cy = (make_user(session, n) for n in ("bob", "alice", "cy"))
    tweet = make_tweet(session, bob)
    api = mastodon_py(live_server, bob.email)
    api.push_subscription_set(push_service.url, Device().public, favourite_events=True)
    blocks.mute(session, muter_id=bob.id, muted_id=alice.id)
    blocks.block(session, blocker_id=bob.id, blocked_id=cy.id)

    crud.like(session, user_id=alice.id, tweet_id=tweet.id)
    settle()
    assert push_service.received == []


def test_the_policy_chooses_whose_actions_push(
    live_server: str, session: Session, push_service: PushService
):
    bob, friend, stranger = (make_user(session, n) for n in ("bob", "friend", "stranger"))
    crud.follow(session, follower_id=bob.id, followee_id=friend.id)
    tweet = make_tweet(session, bob)
    api = mastodon_py(live_server, bob.email)
    device = Device()
    made = api.push_subscription_set(
        push_service.url, device.public, favourite_events=True, policy="followed"
    )
    assert made["policy"] == "followed"  # Mastodon.py sends it as a top-level `policy`

    crud.like(session, user_id=stranger.id, tweet_id=tweet.id)
    crud.like(session, user_id=friend.id, tweet_id=tweet.id)
    settle()
    [push] = push_service.received
    assert device.open(push, made["server_key"], push_service.url)["title"] == (
        "friend favorited your post"
    )


def push_token(client: TestClient, user: User, scope: str = "read write push") -> dict[str, str]:
    app = client.post(
        "/api/v1/apps",
        data={"client_name": "Pusher", "redirect_uris": "urn:ietf:wg:oauth:2.0:oob"}
        | {"scopes": "read write follow push"},
    ).json()
    grant = {"grant_type": "password", "username": user.email, "password": PASSWORD}
    keys = {"client_id": app["client_id"], "client_secret": app["client_secret"], "scope": scope}
    answer = client.post("/oauth/token", data=grant | keys)
    assert answer.status_code == 200, answer.text
    return {"Authorization": f"Bearer {answer.json()['access_token']}"}


def form(endpoint: str, device: Device, **extra: str) -> dict[str, str]:
    return {
        "subscription[endpoint]": endpoint,
        "subscription[keys][p256dh]": b64url(device.public["pubkey"]),
        "subscription[keys][auth]": b64url(device.auth),
    } | extra


def test_json_bodies_as_masto_js_sends_them(client: TestClient, session: Session):
    bob = make_user(session, "bob")
    headers = push_token(client, bob)
    device = Device()
    body = {
        "subscription": {
            "endpoint": "https://push.example.net/abc",
            "keys": {"p256dh": b64url(device.public["pubkey"]), "auth": b64url(device.auth)},
        },
        "data": {"alerts": {"mention": True, "reblog": False}, "policy": "follower"},
    }
    made = client.post("/api/v1/push/subscription", json=body, headers=headers)
    assert made.status_code == 200, made.text
    assert made.json()["alerts"]["mention"] is True
    assert made.json()["policy"] == "follower"
    changed = client.put(
        "/api/v1/push/subscription", json={"data": {"alerts": {"reblog": True}}}, headers=headers
    )
    assert changed.json()["alerts"]["reblog"] is True
    assert changed.json()["alerts"]["mention"] is False
    assert changed.json()["policy"] == "all"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"subscription[endpoint]": ""}, "subscription[endpoint] can't be blank"),
        ({"subscription[endpoint]": "ftp://push.example.net/x"}, "must be an https:// URL"),
        ({"subscription[keys][p256dh]": "bm90IGEga2V5"}, "must be a base64 P-256 public key"),
        ({"subscription[keys][p256dh]": "%%%"}, "must be a base64 P-256 public key"),
        ({"subscription[keys][auth]": "c2hvcnQ"}, "must be 16 bytes in base64"),
        ({"data[policy]": "friends"}, "policy must be all, followed, follower or none"),
        ({"data[alerts][mention]": "maybe"}, "data[alerts][mention] must be true or false"),
    ],
)
def test_bad_subscriptions_are_refused_in_plain_words(
    client: TestClient, session: Session, change: dict[str, str], message: str
):
    headers = push_token(client, make_user(session))
    data = form("https://push.example.net/abc", Device()) | change
    refused = client.post("/api/v1/push/subscription", data=data, headers=headers)
    assert refused.status_code == 422
    assert message in refused.json()["error"]


def test_private_or_plain_http_endpoints_are_refused_in_production(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "push_allow_private_endpoints", False)
    headers = push_token(client, make_user(session))
    for endpoint, message in [
        ("http://push.example.net/x", "must be an https:// URL"),
        ("https://127.0.0.1:9000/x", "must be on a public host"),
        ("https://10.1.2.3/x", "must be on a public host"),
        ("https://localhost/x", "must be on a public host"),
    ]:
        data = form(endpoint, Device())
        refused = client.post("/api/v1/push/subscription", data=data, headers=headers)
        assert refused.status_code == 422 and message in refused.json()["error"], endpoint
    assert client.get("/api/v1/push/subscription", headers=headers).status_code == 404


def test_no_subscription_no_scope_no_token(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    headers = push_token(client, ada)
    missing = client.get("/api/v1/push/subscription", headers=headers)
    assert (missing.status_code, missing.json()) == (404, {"error": "Record not found"})
    put = client.put("/api/v1/push/subscription", data={"data[policy]": "nobody"}, headers=headers)
    assert put.status_code == 404
    assert client.delete("/api/v1/push/subscription", headers=headers).json() == {}
    no_push = push_token(client, ada, scope="read write")
    refused = client.get("/api/v1/push/subscription", headers=no_push)
    assert refused.status_code == 403
    assert client.get("/api/v1/push/subscription").status_code == 401


def test_each_token_has_its_own_subscription(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    phone, laptop = push_token(client, ada), push_token(client, ada)
    for headers, endpoint in ((phone, "https://a.example/1"), (laptop, "https://b.example/2")):
        data = form(endpoint, Device())
        assert client.post("/api/v1/push/subscription", data=data, headers=headers).is_success
    assert client.get("/api/v1/push/subscription", headers=phone).json()["endpoint"] == (
        "https://a.example/1"
    )
    assert subscriptions(session) == 2


def test_admin_alerts_are_for_admins_only(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    headers = push_token(client, ada)
    data = form("https://a.example/1", Device(), **{"data[alerts][admin.report]": "true"})
    made = client.post("/api/v1/push/subscription", data=data, headers=headers).json()
    assert made["alerts"]["admin.report"] is False
    ada.is_admin = True
    session.commit()
    made = client.post("/api/v1/push/subscription", data=data, headers=headers).json()
    assert made["alerts"]["admin.report"] is True


def test_revoking_the_token_or_deleting_the_app_or_account_ends_the_subscription(
    client: TestClient, session: Session
):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    app = client.post(
        "/api/v1/apps", data={"client_name": "Pusher", "scopes": "read write push"}
    ).json()
    secrets = {"client_id": app["client_id"], "client_secret": app["client_secret"]}

    def subscribed(user: User) -> str:
        grant = {"grant_type": "password", "username": user.email, "password": PASSWORD}
        access = client.post("/oauth/token", data=grant | secrets | {"scope": "push"}).json()
        headers = {"Authorization": f"Bearer {access['access_token']}"}
        made = client.post(
            "/api/v1/push/subscription", data=form("https://a.example/1", Device()), headers=headers
        )
        assert made.status_code == 200, made.text
        return str(access["access_token"])

    revoked = subscribed(ada)
    subscribed(bob)
    assert subscriptions(session) == 2
    client.post("/oauth/revoke", data=secrets | {"token": revoked})
    assert subscriptions(session) == 1
    lifecycle.delete_account(session, user_id=bob.id, password=PASSWORD)
    assert subscriptions(session) == 0


def test_configured_vapid_keys_are_the_ones_shown(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    from webapp import vapid

    pair = vapid.generate()
    monkeypatch.setattr(settings, "vapid_private_key", pair.private_key)
    monkeypatch.setattr(settings, "vapid_public_key", pair.public_key)
    shown = client.get("/api/v2/instance").json()["configuration"]["vapid"]["public_key"]
    assert shown == pair.public_key


def test_two_app_processes_sign_with_the_same_generated_key(session: Session):
    """No VAPID_* settings: the first process to need the pair makes and stores it, and a
    second one asking at the same moment ends up with the very same pair."""
    with app_process() as first, app_process() as second:
        urls = [f"{base}/api/v2/instance" for base in (first, second)]
        with ThreadPoolExecutor(2) as pool:
            answers = list(pool.map(lambda url: httpx.get(url, timeout=10).json(), urls))
    keys = {answer["configuration"]["vapid"]["public_key"] for answer in answers}
    stored = session.get(ServerKey, "vapid")
    assert stored is not None and keys == {stored.public_key}
