"""A database outage is a 503 with Retry-After, a bug a clean 500: never a traceback."""

from collections.abc import Iterator

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from tests.conftest import TEST_DATABASE_URL
from webapp import crud, db, failures
from webapp.db import get_session
from webapp.main import app

# Nothing listens on port 1: connecting fails at once, as when PostgreSQL is down.
DEAD_URL = "postgresql+psycopg://postgres@127.0.0.1:1/chirp"


@pytest.fixture
def dead_database(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    dead = create_engine(DEAD_URL, connect_args={"connect_timeout": 1})

    def dead_session() -> Iterator[Session]:
        with Session(dead) as session:
            yield session

    monkeypatch.setattr(db, "engine", dead)
    app.dependency_overrides[get_session] = dead_session
    yield
    app.dependency_overrides.pop(get_session)
    dead.dispose()


def test_healthz_reports_a_reachable_database(client: TestClient):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.usefixtures("dead_database")
def test_healthz_reports_an_unreachable_database(client: TestClient):
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "degraded", "database": "unreachable"}


@pytest.mark.usefixtures("dead_database")
@pytest.mark.parametrize(
    ("method", "path"), [("GET", "/users/"), ("GET", "/tweets/"), ("POST", "/token")]
)
def test_api_answers_503_json_with_retry_after_while_the_database_is_down(
    client: TestClient, method: str, path: str
):
    form = {"username": "al@example.com", "password": "long enough pw"}
    response = client.request(method, path, data=form if method == "POST" else None)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.json() == {"detail": failures.OUTAGE_MESSAGE}


@pytest.mark.usefixtures("dead_database")
@pytest.mark.parametrize("path", ["/", "/people", "/@ada"])
def test_a_page_gets_the_friendly_503_page_not_json(client: TestClient, path: str):
    response = client.get(path)
    assert response.status_code == 503
    assert response.headers["retry-after"] == "2"
    assert response.headers["content-type"].startswith("text/html")
    page = BeautifulSoup(response.text, "html.parser")
    heading = page.find("h1")
    assert heading is not None and "briefly unavailable" in heading.get_text()
    assert failures.OUTAGE_MESSAGE in page.get_text()
    assert "Traceback" not in response.text and "127.0.0.1" not in response.text


def test_a_bug_is_a_clean_500_without_traceback(monkeypatch: pytest.MonkeyPatch):
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("secret internals /home/app/webapp")

    monkeypatch.setattr(crud, "list_users", broken)
    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/users/")
    assert response.status_code == 500
    assert response.json() == {"detail": "Something went wrong on our side; it has been logged"}
    assert "secret" not in response.text and "Traceback" not in response.text
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "script-src 'self'" in response.headers["content-security-policy"]


def _connection_killed_while_idle(engine: Engine) -> int:
    """Check out one connection, return it to the pool, and end its backend from outside
    (as a database restart or an idle timeout would): the pid it had."""
    with engine.connect() as connection:
        pid = int(connection.execute(text("SELECT pg_backend_pid()")).scalar_one())
    with db.engine.connect() as other:
        other.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        other.commit()
    return pid


@pytest.mark.postgres_only
def test_a_connection_that_died_while_idle_is_replaced_unseen(monkeypatch: pytest.MonkeyPatch):
    engine = db.make_engine(TEST_DATABASE_URL)
    try:
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 0.0)
        old = _connection_killed_while_idle(engine)
        with engine.connect() as connection:  # pinged at checkout, found dead, replaced
            assert connection.execute(text("SELECT pg_backend_pid()")).scalar_one() != old
        # Without the ping, the same dead connection would have reached the caller.
        monkeypatch.setattr(db, "PING_AFTER_IDLE_SECONDS", 3600.0)
        _connection_killed_while_idle(engine)
        with pytest.raises(OperationalError), engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    finally:
        engine.dispose()
