"""One email, one account: the web and the JSON API agree on when two emails are the same."""

import threading

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import PASSWORD
from tests.web import post_form
from webapp.config import settings
from webapp.models import User

FULL_WIDTH = "gina@ex\uff41mple.com"  # the "a" is U+FF41, FULLWIDTH LATIN SMALL LETTER A


def _web_signup(client: TestClient, email: str, handle: str) -> httpx.Response:
    return post_form(client, "/signup", {"email": email, "handle": handle, "password": PASSWORD})


def test_web_signup_stores_the_normalised_email_and_refuses_its_full_width_twin(
    client: TestClient, session: Session
):
    assert _web_signup(client, FULL_WIDTH, "gina").status_code == 303
    assert session.scalars(select(User.email)).all() == ["gina@example.com"]
    client.cookies.clear()
    again = _web_signup(client, "GINA@example.com", "gina2")
    assert again.status_code == 422
    assert "already exists" in again.text
    api = client.post("/users/", json={"email": "gina@example.com", "password": PASSWORD})
    assert api.status_code == 400


def test_json_api_signup_then_web_signup_with_the_full_width_twin_is_refused(
    client: TestClient, session: Session
):
    assert client.post(
        "/users/", json={"email": "gina@example.com", "password": PASSWORD}
    ).is_success
    refused = _web_signup(client, FULL_WIDTH, "gina2")
    assert refused.status_code == 422
    assert "already exists" in refused.text
    assert len(session.scalars(select(User)).all()) == 1


def test_the_full_width_twin_logs_in_to_the_same_account(client: TestClient, session: Session):
    assert _web_signup(client, "gina@example.com", "gina").status_code == 303
    client.cookies.clear()
    login = post_form(client, "/login", {"email": FULL_WIDTH, "password": PASSWORD})
    assert login.status_code == 303
    api = client.post("/token", data={"username": FULL_WIDTH, "password": PASSWORD})
    assert api.status_code == 200


def test_thirty_concurrent_api_signups_sharing_a_local_part_all_succeed(
    live_server: str, session: Session, monkeypatch: pytest.MonkeyPatch
):
    """Each wants the handle `race`: the ones that lose the race get another, not a 400."""
    monkeypatch.setattr(settings, "rate_limits_enabled", False)  # 30 sign-ups from one IP
    start = threading.Barrier(30)
    statuses: list[int] = []

    def sign_up(n: int) -> None:
        start.wait()
        body = {"email": f"race@d{n}.example.com", "password": PASSWORD}
        statuses.append(httpx.post(f"{live_server}/users/", json=body, timeout=60).status_code)

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 30
    handles = session.scalars(select(User.username)).all()
    assert len(set(handles)) == 30 and "race" in handles


def test_an_account_made_before_keys_were_normalised_still_logs_in(
    client: TestClient, session: Session
):
    """Before the fix the web sign-up stored the full-width key as typed: it must not lock out."""
    assert _web_signup(client, "old@example.com", "old").status_code == 303
    old = session.scalars(select(User)).one()
    old.email, old.email_key = "old@ex\uff41mple.com", "old@ex\uff41mple.com"
    session.commit()
    client.cookies.clear()
    login = post_form(client, "/login", {"email": "old@ex\uff41mple.com", "password": PASSWORD})
    assert login.status_code == 303
