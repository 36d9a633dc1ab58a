"""Real app processes for the cross-process tests: uvicorn and redis-server subprocesses."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_until(check: Callable[[], bool], what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"{what} did not start"
        time.sleep(0.1)


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


@contextmanager
def app_process(**env: str) -> Iterator[str]:
    """One uvicorn process serving the app, with the test environment plus `env`."""
    port = free_port()
    command = [sys.executable, "-m", "uvicorn", "webapp.main:app", "--port", str(port)]
    # Open event streams never finish on their own: give them a second at shutdown.
    command += ["--host", "127.0.0.1", "--log-level", "warning", "--timeout-graceful-shutdown", "1"]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env})
    try:
        url = f"http://127.0.0.1:{port}"
        _wait_until(lambda: _answers(f"{url}/api/v1/streaming/health"), "the app process")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def worker_process(workers: Callable[[], int], **env: str) -> Iterator[None]:
    """The job queue's worker (`python -m webapp.cli worker`) as a process of its own;
    ready once `workers()` (procrastinate's heartbeat table) counts one more."""
    command = [sys.executable, "-m", "webapp.cli", "worker"]
    process = subprocess.Popen(
        command, cwd=ROOT, env={**os.environ, **env}, stdout=subprocess.DEVNULL
    )
    try:
        before = workers()
        _wait_until(lambda: process.poll() is None and workers() > before, "the worker")
        yield
    finally:
        process.terminate()
        process.wait(timeout=10)


@contextmanager
def redis_server() -> Iterator[str]:
    port = free_port()
    command = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", ""]
    process = subprocess.Popen([*command, "--appendonly", "no"], stdout=subprocess.DEVNULL)
    try:
        _wait_until(lambda: _accepts(port), "redis-server")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _accepts(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False
