"""Test setup: the suite runs against TEST_DATABASE_URL (PostgreSQL) or a fresh SQLite file.

The environment is set before `webapp` is imported, so the app's one engine is the test one.
"""

import os
import socket
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

_tmp = Path(tempfile.mkdtemp(prefix="chirp-tests-"))
TEST_DATABASE_URL = os.environ.get("TEST_DATABASE_URL") or f"sqlite:///{_tmp / 'test.db'}"
os.environ["DATABASE_URL"] = TEST_DATABASE_URL
os.environ["ENVIRONMENT"] = "test"
os.environ["SECRET_KEY"] = "test-secret-key-not-for-production"
# Outside development only known hosts are served: TestClient's is "testserver"; the live
# servers' 127.0.0.1 is allowed while PUBLIC_URL is unset.
os.environ["ALLOWED_HOSTS"] = "testserver"
# Queued jobs (webapp/jobs.py) run when a test says so (jobs.run_pending), not in the app.
os.environ["JOBS_IN_APP"] = "false"
os.environ.pop("PUBLIC_URL", None)
os.environ["MEDIA_ROOT"] = str(_tmp / "media")  # uploads of the whole run (issue 16)
os.environ.pop("MEDIA_S3_BUCKET", None)

import pytest  # noqa: E402
import uvicorn  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from sqlalchemy import delete, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from tests.migrations import alembic_config  # noqa: E402
from webapp.db import SessionLocal, engine  # noqa: E402
from webapp.main import app  # noqa: E402
from webapp.models import Base  # noqa: E402
from webapp.ratelimit import limiter  # noqa: E402

IS_POSTGRES = engine.dialect.name == "postgresql"
# Fixtures kept in modules of their own: `inbox` (a real SMTP server).
pytest_plugins = ["tests.smtp"]


def pytest_report_header() -> str:
    return f"database: {engine.url.render_as_string(hide_password=True)}"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests marked postgres_only are deselected (not skipped) in the SQLite run, and
    sqlite_only ones in the PostgreSQL run."""
    other = "sqlite_only" if IS_POSTGRES else "postgres_only"
    dropped = [item for item in items if item.get_closest_marker(other)]
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = [item for item in items if item not in dropped]


@pytest.fixture(scope="session", autouse=True)
def schema() -> Iterator[None]:
    """Build the schema the way production does: by running the migrations."""
    from alembic import command

    if IS_POSTGRES:  # everything, the job queue's tables and functions too (migration 0016)
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    else:
        Base.metadata.drop_all(engine)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE IF EXISTS alembic_version"))
    command.upgrade(alembic_config(TEST_DATABASE_URL), "head")
    yield
    engine.dispose()


@pytest.fixture(autouse=True)
def _empty_tables() -> Iterator[None]:
    """Each test starts from empty tables; its writes are real commits, as in production."""
    yield
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(delete(table))
        if IS_POSTGRES:  # jobs a test queued and did not run
            connection.execute(text("TRUNCATE procrastinate_jobs CASCADE"))


@pytest.fixture(autouse=True)
def _reset_rate_limits() -> Iterator[None]:
    """Each test starts with fresh rate-limit counts, so no test trips over another's."""
    yield
    limiter.reset()


@pytest.fixture
def session() -> Iterator[Session]:
    with SessionLocal() as db:
        yield db


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """The app served by a real uvicorn on a free port, for browsers and HTTP clients."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        assert time.monotonic() < deadline, "the live server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)
