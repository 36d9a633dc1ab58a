"""The Mastodon routes refuse hostile input with a clear 4xx in Mastodon's {"error": ...} shape."""

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, func, select
from sqlalchemy.orm import Session

from tests.factories import bearer, make_user
from tests.mastodon_helpers import token
from webapp import db, failures
from webapp.db import get_session
from webapp.main import app
from webapp.models import OAuthApp, Tweet

GOOD = "https://good.example/cb"


def _register(client: TestClient, redirect_uris: object) -> tuple[int, dict[str, object]]:
    body = {"client_name": "app", "redirect_uris": redirect_uris, "scopes": "read"}
    response = client.post("/api/v1/apps", json=body)
    return response.status_code, response.json()


@pytest.mark.parametrize(
    "element",
    [
        f"{GOOD}\njavascript:alert(1)",
        f"{GOOD}\r\nhttps://evil.example/cb",
        f"{GOOD}\tx",
        "https://good.example/c b",
        f"{GOOD}\x00",
        f"{GOOD}\u2028javascript:alert(1)",
        f"{GOOD}\u200b",
    ],
)
def test_a_redirect_uri_element_with_whitespace_or_controls_inside_is_refused(
    client: TestClient, session: Session, element: str
):
    status, body = _register(client, [element])
    assert status == 422
    assert "Redirect URI" in str(body["error"])
    assert session.scalar(select(func.count()).select_from(OAuthApp)) == 0


def test_a_newline_separated_string_registers_each_uri_checked_on_its_own(client: TestClient):
    status, body = _register(client, f"{GOOD}\nhttps://other.example/cb")
    assert status == 200
    assert body["redirect_uris"] == [GOOD, "https://other.example/cb"]
    assert _register(client, f"{GOOD}\njavascript:alert(1)")[0] == 422


def test_javascript_never_reaches_the_consent_page(client: TestClient):
    _register(client, [f"{GOOD}\njavascript:alert(1)"])
    page = client.get(
        "/oauth/authorize",
        params={"client_id": "anything", "redirect_uri": "javascript:alert(1)"},
    )
    assert page.status_code == 400


def test_a_lone_surrogate_in_redirect_uris_is_a_422_not_a_500(client: TestClient):
    raw = '{"client_name": "app", "redirect_uris": ["https://good.example/cb\\ud800"]}'
    response = client.post(
        "/api/v1/apps", content=raw, headers={"content-type": "application/json"}
    )
    assert response.status_code == 422
    assert "error" in response.json()


NESTED = "[" * 1000 + "]" * 1000
NESTED_FIELD = '{"status": ' + NESTED + ', "client_name": ' + NESTED + "}"


@pytest.mark.parametrize("path", ["/api/v1/statuses", "/api/v1/apps", "/oauth/token"])
@pytest.mark.parametrize("raw", [NESTED, NESTED_FIELD, '{"a":' * 1000 + "1" + "}" * 1000])
def test_deeply_nested_json_is_a_400_on_the_mastodon_routes(
    client: TestClient, session: Session, path: str, raw: str
):
    headers = {"content-type": "application/json", **token(client, make_user(session))}
    response = client.post(path, content=raw, headers=headers)
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize("path", ["/users/", "/users/1/tweets/", "/users/1/likes/"])
def test_deeply_nested_json_is_a_4xx_on_the_json_api(
    client: TestClient, session: Session, path: str
):
    headers = {"content-type": "application/json", **bearer(client, make_user(session))}
    for raw in (NESTED, '{"text": ' + NESTED + "}", '{"tweet_id": ' + "[" * 900 + "]" * 900 + "}"):
        response = client.post(path, content=raw, headers=headers)
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert "detail" in response.json()


@pytest.mark.parametrize("text", ["   ", "\u00a0\u00a0", "\t\n"])
def test_a_status_of_only_whitespace_is_a_422(client: TestClient, session: Session, text: str):
    response = client.post(
        "/api/v1/statuses", json={"status": text}, headers=token(client, make_user(session))
    )
    assert response.status_code == 422
    assert session.scalar(select(func.count()).select_from(Tweet)) == 0


def test_instance_says_sign_up_is_open(client: TestClient):
    assert client.get("/api/v1/instance").json()["registrations"] is True
    assert client.get("/api/v2/instance").json()["registrations"]["enabled"] is True


@pytest.fixture
def dead_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    dead = create_engine("postgresql+psycopg://postgres@127.0.0.1:1/chirp")

    def dead_session() -> Iterator[Session]:
        with Session(dead) as session:
            yield session

    monkeypatch.setattr(db, "engine", dead)
    app.dependency_overrides[get_session] = dead_session
    yield
    app.dependency_overrides.pop(get_session)
    dead.dispose()


@pytest.mark.usefixtures("dead_database")
@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/timelines/public"),
        ("GET", "/api/v2/instance"),
        ("POST", "/oauth/token"),
        ("POST", "/api/v1/apps"),
    ],
)
def test_a_database_outage_on_mastodon_paths_is_a_503_in_mastodons_shape(
    client: TestClient, method: str, path: str
):
    data = {"client_id": "x", "client_secret": "y", "grant_type": "password", "client_name": "a"}
    response = client.request(method, path, data=data if method == "POST" else None)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert json.loads(response.text) == {"error": failures.OUTAGE_MESSAGE}
