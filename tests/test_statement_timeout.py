"""A hung database answers 503 within the statement timeout instead of holding requests forever."""

from collections.abc import Iterator

import httpx
import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session

from tests.conftest import TEST_DATABASE_URL
from tests.factories import make_user
from webapp import failures
from webapp.config import settings
from webapp.db import engine


@pytest.fixture
def short_timeout(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(settings, "db_statement_timeout_ms", 300)
    engine.dispose()  # new connections open with the new timeout
    yield
    engine.dispose()


@pytest.mark.postgres_only
@pytest.mark.usefixtures("short_timeout")
def test_a_statement_blocked_by_a_lock_answers_503(live_server: str, session: Session):
    make_user(session, "ada")
    session.close()
    locker = create_engine(TEST_DATABASE_URL)
    try:
        with locker.connect() as connection:
            connection.execute(text("LOCK TABLE users IN ACCESS EXCLUSIVE MODE"))
            # Without a timeout this waits for the lock, held until it returns: a read timeout.
            response = httpx.get(f"{live_server}/users/", timeout=20)
            page = httpx.get(f"{live_server}/people", timeout=20)
    finally:
        locker.dispose()
    assert response.status_code == 503
    assert response.json() == {"detail": failures.OUTAGE_MESSAGE}
    assert response.headers["retry-after"] == "2"
    assert page.status_code == 503
    assert httpx.get(f"{live_server}/users/", timeout=20).status_code == 200  # lock gone


@pytest.mark.postgres_only
def test_every_connection_carries_the_timeout():
    with engine.connect() as connection:
        assert connection.scalar(text("SHOW statement_timeout")) == "5s"
