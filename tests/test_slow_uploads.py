"""A client trickling a request body must not hold one of the worker's few request slots."""

import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from webapp import concurrency
from webapp.concurrency import ConcurrencyLimit
from webapp.main import app

HEADERS = (
    b"POST /users/ HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
    b"Content-Length: 100000\r\n\r\n"
)


@pytest.fixture
def capped_server() -> Iterator[tuple[str, int]]:
    """The app on a live uvicorn with MAX_CONCURRENT_REQUESTS=2, as recommended."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(ConcurrencyLimit(app, limit=2), host="127.0.0.1", port=port)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", port
    server.should_exit = True
    thread.join(timeout=10)


def _trickle(port: int, stop: threading.Event) -> None:
    """Headers for a 100 kB body, then one byte a second until told to stop."""
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(HEADERS)
        while not stop.wait(1.0):
            connection.sendall(b" ")


def test_two_trickling_uploads_do_not_hold_up_healthz(capped_server: tuple[str, int]):
    url, port = capped_server
    stop = threading.Event()
    senders = [threading.Thread(target=_trickle, args=(port, stop)) for _ in range(2)]
    for sender in senders:
        sender.start()
    try:
        time.sleep(1.5)  # both are well into their bodies
        # Without the fix this waits for the trickles, which only stop after it: a timeout.
        response = httpx.get(f"{url}/healthz", timeout=15)
        assert response.status_code == 200
        assert all(sender.is_alive() for sender in senders)  # still trickling meanwhile
    finally:
        stop.set()
        for sender in senders:
            sender.join()


def test_a_body_slower_than_the_timeout_gets_a_408(
    capped_server: tuple[str, int], monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(concurrency, "BODY_TIMEOUT_SECONDS", 0.5)
    _, port = capped_server
    with socket.create_connection(("127.0.0.1", port), timeout=15) as connection:
        connection.sendall(HEADERS + b"{")
        answer = connection.recv(4096)
    assert answer.startswith(b"HTTP/1.1 408")
    assert b"too slowly" in answer


def test_under_the_cap_bodies_still_reach_the_app_and_oversized_ones_get_413(
    capped_server: tuple[str, int],
):
    url, _ = capped_server
    body = {"email": "slow@example.com", "password": "correct horse battery"}
    assert httpx.post(f"{url}/users/", json=body).status_code == 200

    def chunks() -> Iterator[bytes]:  # no Content-Length: sent chunked, counted as it comes
        for _ in range(40):
            yield b"x" * 8192

    assert httpx.post(f"{url}/users/", content=chunks()).status_code == 413
