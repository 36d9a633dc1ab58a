"""PostgreSQL restarts under load: 503s (never 500s) meanwhile, quick recovery, no lost write.

The test starts a PostgreSQL cluster of its own (a temp dir, a free port) and a real uvicorn
against it, drives writes from threads, and stops and restarts that cluster mid-run.
Run with -s to see the measured numbers.
"""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from sqlalchemy import create_engine, select, text

from alembic import command
from tests.migrations import alembic_config
from webapp.config import ROOT
from webapp.models import Tweet

PG_BIN = Path("/usr/lib/postgresql/15/bin")
WRITERS = 4


@dataclass
class Cluster:
    data: Path
    port: int
    url: str = ""

    def ctl(self, *args: str) -> None:
        # -t bounds every wait, so a stuck cluster fails the test instead of hanging CI.
        run_as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-s", "-t", "20", *args)

    def start(self) -> None:
        options = f"-p {self.port} -k {self.data.parent} -c listen_addresses=127.0.0.1"
        self.ctl("-w", "-l", str(self.data.parent / "log"), "-o", options, "start")

    def stop(self) -> None:
        self.ctl("-w", "-m", "fast", "stop")


def run_as_postgres(*argv: str) -> None:
    # initdb and postgres refuse to run as root.
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    subprocess.run([*prefix, *argv], check=True, capture_output=True, timeout=30)


def free_port(ports: range) -> int:
    for port in ports:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                return port
    raise RuntimeError(f"no free port in {ports}")


@pytest.fixture
def own_postgres() -> Iterator[Cluster]:
    home = Path(tempfile.mkdtemp(prefix="chirp-pg-"))
    if os.geteuid() == 0:
        shutil.chown(home, "postgres", "postgres")
    cluster = Cluster(home / "data", free_port(range(55200, 55300)))
    run_as_postgres(
        str(PG_BIN / "initdb"), "-D", str(cluster.data), "-A", "trust", "-U", "postgres", "-N"
    )
    cluster.start()
    admin = create_engine(
        f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/postgres",
        connect_args={"connect_timeout": 5},
    )
    with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        connection.execute(text("CREATE DATABASE chirp"))
    admin.dispose()
    cluster.url = f"postgresql+psycopg://postgres@127.0.0.1:{cluster.port}/chirp"
    command.upgrade(alembic_config(cluster.url), "head")
    yield cluster
    cluster.ctl("-m", "immediate", "stop")
    shutil.rmtree(home, ignore_errors=True)


@pytest.fixture
def app_server(own_postgres: Cluster) -> Iterator[str]:
    port = free_port(range(55300, 55400))
    env = {
        **os.environ,
        "DATABASE_URL": own_postgres.url,
        "ENVIRONMENT": "test",
        "SECRET_KEY": "restart-test-secret",
        "RATE_LIMITS_ENABLED": "false",  # this is a load test of the database path
    }
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "webapp.main:app",
            "--port",
            str(port),
            "--log-level",
            "error",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 15
    while not healthy(base):
        assert server.poll() is None and time.monotonic() < deadline, "uvicorn did not start"
        time.sleep(0.1)
    yield base
    server.terminate()
    server.wait(timeout=10)


def healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/healthz", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@dataclass
class Load:
    results: list[tuple[float, int, str, bool]] = field(
        default_factory=list
    )  # t, status, text, json
    stop: threading.Event = field(default_factory=threading.Event)

    def writer(self, base: str, user_id: int, token: str, n: int) -> None:
        headers = {"Authorization": f"Bearer {token}"}
        with httpx.Client(base_url=base, timeout=10) as http:
            i = 0
            while not self.stop.is_set():
                body = f"writer {n} tweet {i}"
                response = http.post(
                    f"/users/{user_id}/tweets/", json={"text": body}, headers=headers
                )
                is_json = response.headers.get("content-type", "").startswith("application/json")
                self.results.append((time.monotonic(), response.status_code, body, is_json))
                i += 1
                time.sleep(0.01)


def sign_up(base: str, n: int) -> tuple[int, str]:
    email = f"writer{n}@example.com"
    form = {"username": email, "password": "restart pw 4821"}
    user = httpx.post(f"{base}/users/", json={"email": email, "password": form["password"]})
    token = httpx.post(f"{base}/token", data=form)
    return user.json()["id"], token.json()["access_token"]


@pytest.mark.postgres_only
def test_postgres_restart_under_load(own_postgres: Cluster, app_server: str):
    load = Load()
    writers = [
        threading.Thread(target=load.writer, args=(app_server, *sign_up(app_server, n), n))
        for n in range(WRITERS)
    ]
    for thread in writers:
        thread.start()
    time.sleep(1.5)
    down_at = time.monotonic()
    own_postgres.stop()
    time.sleep(2)
    own_postgres.start()
    up_at = time.monotonic()
    time.sleep(2.5)
    load.stop.set()
    for thread in writers:
        thread.join(timeout=15)

    statuses = [status for _, status, _, _ in load.results]
    during = [r for r in load.results if down_at < r[0] < up_at]
    first_ok = min(t for t, status, _, _ in load.results if t > up_at and status == 200)
    acknowledged = {body for _, status, body, _ in load.results if status == 200}
    engine = create_engine(own_postgres.url, connect_args={"connect_timeout": 5})
    with engine.connect() as connection:
        stored = set(connection.scalars(select(Tweet.text)))
    engine.dispose()
    print(
        f"\nrestart under load: {len(statuses)} writes, {statuses.count(200)} acknowledged, "
        f"{statuses.count(503)} answered 503 during the {up_at - down_at:.2f} s outage; "
        f"first 200 {first_ok - up_at:.3f} s after PostgreSQL accepted connections again; "
        f"lost acknowledged writes: {len(acknowledged - stored)}"
    )
    assert set(statuses) <= {200, 503}, sorted(set(statuses))  # never a 500
    assert statuses.count(503) > 0 and all(r[1] == 503 for r in during if r[1] != 200)
    assert all(is_json for _, status, _, is_json in load.results if status == 503)
    assert first_ok - up_at < 2.0
    assert acknowledged <= stored
