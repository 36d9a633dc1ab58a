"""The Host header is never trusted: absolute URLs come from PUBLIC_URL, unknown hosts get 400."""

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import token
from tests.web import log_in
from webapp.config import Settings, settings

PUBLIC = "https://chirp.example.org"
EVIL = {"Host": "evil.example"}
PAGES = ["/", "/people", "/@ada", "/login", "/no-such-page"]
MASTODON = ["/api/v1/timelines/public?limit=1", "/api/v1/instance", "/api/v2/instance"]


@pytest.fixture
def ada(session: Session) -> None:
    make_tweet(session, make_user(session, "ada"), "hello #world")


@pytest.mark.usefixtures("ada")
@pytest.mark.parametrize("path", PAGES + MASTODON + ["/users/", "/static/app.js"])
def test_outside_development_an_unknown_host_is_refused(client: TestClient, path: str):
    response = client.get(path, headers=EVIL)
    assert response.status_code == 400
    assert "does not answer to that host name" in response.text
    assert "evil.example" not in response.text


def test_mastodon_and_api_clients_get_the_refusal_in_their_own_shape(client: TestClient):
    assert "error" in client.get("/api/v1/instance", headers=EVIL).json()
    assert "detail" in client.get("/users/", headers=EVIL).json()


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:8000", "[::1]:8000"])
def test_without_public_url_local_hosts_are_served(client: TestClient, host: str):
    assert client.get("/healthz", headers={"Host": host}).status_code == 200


def test_with_public_url_its_host_and_allowed_hosts_are_served_and_localhost_is_not(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "public_url", PUBLIC)
    monkeypatch.setattr(settings, "allowed_hosts", "testserver, chirp.internal")
    assert client.get("/healthz", headers={"Host": "chirp.example.org"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "chirp.internal:8000"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "localhost"}).status_code == 400


@pytest.mark.usefixtures("ada")
def test_in_development_an_evil_host_gets_no_evil_urls_anywhere(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "environment", "development")  # no host check here
    monkeypatch.setattr(settings, "public_url", PUBLIC)
    auth = token(client, make_user(session, "bob"))
    for path in PAGES + MASTODON + ["/api/v1/accounts/verify_credentials"]:
        response = client.get(path, headers={**EVIL, **auth})
        assert response.status_code in (200, 404), path
        assert "evil.example" not in response.text, path
        assert "evil.example" not in response.headers.get("link", ""), path
    log_in(client, make_user(session, "carol"))
    home = client.get("/", headers=EVIL)
    assert 'src="/static/app.js"' in home.text
    assert "evil.example" not in home.text


@pytest.mark.usefixtures("ada")
def test_mastodon_urls_and_link_headers_are_built_from_public_url(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "public_url", PUBLIC)
    monkeypatch.setattr(settings, "allowed_hosts", "testserver")
    response = client.get("/api/v1/timelines/public?limit=1")
    status = response.json()[0]
    assert status["url"].startswith(f"{PUBLIC}/@ada/")
    assert status["account"]["avatar"].startswith(f"{PUBLIC}/static/")
    assert response.headers["link"].startswith(f"<{PUBLIC}/api/v1/timelines/public?")
    assert client.get("/api/v1/instance").json()["uri"] == "chirp.example.org"


@pytest.mark.usefixtures("ada")
def test_without_public_url_in_development_urls_use_the_requests_own_host(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "environment", "development")
    status = client.get("/api/v1/timelines/public", headers={"Host": "127.0.0.1:8000"}).json()[0]
    assert status["url"].startswith("http://127.0.0.1:8000/@ada/")


@pytest.mark.parametrize("bad", ["chirp.example.org", "ftp://chirp.example.org", f"{PUBLIC}/x"])
def test_public_url_must_be_an_origin(bad: str):
    with pytest.raises(ValidationError):
        Settings(public_url=bad)
    assert Settings(public_url=f"{PUBLIC}/").public_url == PUBLIC
