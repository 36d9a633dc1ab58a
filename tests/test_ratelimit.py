"""Rate limits: per IP and per account, 429 with Retry-After, and a store shared through Redis."""

import uuid

import pytest
from fastapi.testclient import TestClient
from limits import parse
from sqlalchemy.orm import Session

from tests.factories import bearer, make_user
from tests.mastodon_helpers import register_app, token
from tests.web import log_in, post_form, soup
from webapp import ratelimit
from webapp.config import settings


def login(client: TestClient, email: str, ip: str | None = None) -> int:
    headers = {"X-Forwarded-For": ip} if ip else {}
    form = {"username": email, "password": "wrong guess 1"}
    status: int = client.post("/token", data=form, headers=headers).status_code
    return status


def test_login_is_limited_to_25_per_5_minutes_per_ip(client: TestClient):
    assert {login(client, f"u{n}@example.com") for n in range(25)} == {401}
    response = client.post("/token", data={"username": "new@example.com", "password": "x"})
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 300
    assert response.json()["detail"].startswith("Too many attempts; please wait")


def test_login_is_limited_per_account_from_many_ips(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "trusted_proxy", "testclient")
    statuses = [login(client, "AL@example.com", ip=f"10.0.0.{n}") for n in range(11)]
    assert statuses == [401] * 10 + [429]
    assert login(client, "someone.else@example.com", ip="10.0.0.99") == 401


def test_a_forged_forwarded_for_does_not_escape_the_ip_limit(client: TestClient):
    statuses = [login(client, f"u{n}@example.com", ip=f"10.1.0.{n}") for n in range(26)]
    assert statuses[-1] == 429  # no trusted proxy: the header is ignored


def test_sign_up_is_limited_per_ip(client: TestClient, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(ratelimit.LIMITS, "sign_up", (parse("3/minute"), parse("5/hour")))
    codes = [
        client.post("/users/", json={"email": f"s{n}@example.com", "password": "unusual pw 42"})
        for n in range(4)
    ]
    assert [response.status_code for response in codes] == [200, 200, 200, 429]
    assert "retry-after" in codes[-1].headers


def test_posting_is_limited_per_account(
    session: Session, client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(ratelimit.LIMITS, "post", (parse("100/hour"), parse("2/hour")))
    user = make_user(session)
    auth = bearer(client, user)
    url = f"/users/{user.id}/tweets/"
    codes = [client.post(url, json={"text": "hi"}, headers=auth).status_code for _ in range(3)]
    assert codes == [200, 200, 429]
    assert client.get(f"/users/{user.id}/tweets/").json().__len__() == 2


def test_the_login_page_shares_the_limit_and_answers_a_plain_page(client: TestClient):
    assert {login(client, f"u{n}@example.com") for n in range(24)} == {401}
    wrong = {"email": "who@example.com", "password": "wrong guess 1"}
    assert post_form(client, "/login", wrong).status_code == 422  # the 25th: a form error
    response = post_form(client, "/login", wrong)
    assert response.status_code == 429
    assert 1 <= int(response.headers["retry-after"]) <= 300
    assert response.headers["content-type"].startswith("text/html")
    assert "Too many attempts; please wait" in soup(response).get_text()


def test_sign_up_page_is_limited_per_ip(client: TestClient, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setitem(ratelimit.LIMITS, "sign_up", (parse("2/minute"), parse("5/hour")))
    codes = [
        post_form(
            client,
            "/signup",
            {"email": f"p{n}@example.com", "handle": f"p{n}", "password": "unusual pw 42"},
        ).status_code
        for n in range(3)
    ]
    assert codes == [303, 303, 429]


def test_posting_from_the_page_is_limited_per_account(
    session: Session, client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setitem(ratelimit.LIMITS, "post", (parse("100/hour"), parse("2/hour")))
    log_in(client, make_user(session))
    codes = [post_form(client, "/t", {"text": f"chirp {n}"}).status_code for n in range(3)]
    assert codes == [303, 303, 429]
    assert len(client.get("/tweets/").json()) == 2


def test_mastodon_password_grant_and_posts_share_the_limits(
    session: Session, client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    app = register_app(client)
    grant = {"grant_type": "password", "client_id": app["client_id"]}
    grant |= {"client_secret": app["client_secret"], "username": "al@example.com"}
    codes = [client.post("/oauth/token", data=grant | {"password": "nope"}) for _ in range(11)]
    assert [response.status_code for response in codes] == [400] * 10 + [429]
    assert codes[-1].json() == {"error": "Too many requests"}
    assert int(codes[-1].headers["retry-after"]) >= 1

    monkeypatch.setitem(ratelimit.LIMITS, "post", (parse("100/hour"), parse("1/hour")))
    auth = token(client, make_user(session))
    first = client.post("/api/v1/statuses", data={"status": "one"}, headers=auth)
    second = client.post("/api/v1/statuses", data={"status": "two"}, headers=auth)
    assert (first.status_code, second.status_code) == (200, 429)
    assert [tweet["text"] for tweet in client.get("/tweets/").json()] == ["one"]


def test_two_app_processes_share_counts_through_redis():
    prefix = f"chirp-test-{uuid.uuid4().hex}"
    first = ratelimit.Limiter("redis://127.0.0.1:6379", key_prefix=prefix)
    second = ratelimit.Limiter("redis://127.0.0.1:6379", key_prefix=prefix)
    item = parse("3/minute")
    try:
        first.hit(item, "login", "ip", "1.2.3.4")
        first.hit(item, "login", "ip", "1.2.3.4")
        second.hit(item, "login", "ip", "1.2.3.4")
        with pytest.raises(ratelimit.RateLimited) as limited:
            second.hit(item, "login", "ip", "1.2.3.4")
        assert 1 <= limited.value.retry_after <= 60
        second.hit(item, "login", "ip", "5.6.7.8")  # another IP has its own count
    finally:
        first.reset()


def test_an_unreachable_store_lets_requests_through():
    limiter = ratelimit.Limiter("redis://127.0.0.1:1")  # nothing listens there
    for _ in range(5):
        limiter.hit(parse("1/minute"), "login", "ip", "1.2.3.4")
