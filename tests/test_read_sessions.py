"""Page reads run in autocommit on PostgreSQL (no BEGIN/ROLLBACK round trips, webapp/db.py);
every connection must still go back to the pool transactional, so a later write that fails
halfway is undone whole."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.web import log_in
from webapp.db import SessionLocal, engine
from webapp.models import Tweet

pytestmark = pytest.mark.postgres_only


def test_after_page_reads_a_failed_write_still_rolls_back_whole(
    session: Session, client: TestClient
):
    ada = make_user(session)
    make_tweet(session, ada, "hello")
    log_in(client, ada)
    for path in ["/", "/?feed=everyone", f"/@{ada.username}", "/people"]:
        assert client.get(path).status_code == 200

    # Hold every pooled connection at once, so the ones the reads used are among them.
    pooled = [engine.connect() for _ in range(engine.pool.checkedin())]  # type: ignore[attr-defined]
    try:
        assert pooled
        assert all(c.connection.dbapi_connection.autocommit is False for c in pooled)  # type: ignore[union-attr]
    finally:
        for connection in pooled:
            connection.close()

    with SessionLocal() as writer:  # two inserts, then the request fails before committing
        writer.add(Tweet(owner_id=ada.id, text="first half"))
        writer.flush()
        writer.add(Tweet(owner_id=ada.id, text="second half"))
        writer.flush()
        writer.rollback()
    kept = session.scalar(select(func.count()).select_from(Tweet).where(Tweet.owner_id == ada.id))
    assert kept == 1
