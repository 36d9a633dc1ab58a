"""Live streams, measured: idle connections one app process holds, memory per connection, and
delivery latency from post to event with 1,000 listeners.

    .venv/bin/python -m bench.streams [--listeners 1000] [--sse 1000] [--posts 40]

It makes a fresh PostgreSQL database (chirp_bench_streams on the local server), migrates it,
adds one author and the listeners (each follows the author), and serves the app with one
uvicorn process (production settings, events over LISTEN/NOTIFY). Then:
1. opens `--listeners` WebSockets (stream=user) and `--sse` SSE streams (/events/home) and
   reads the process's resident memory before and after: memory per idle connection;
2. posts `--posts` times through the API, one post every `--every` seconds (1), and times
   each post from just before its POST to its arrival on every WebSocket: p50 and p99.
The clients run in this one Python process on the same machine: their own CPU time is part
of the latency measured, so the numbers are an upper bound.
"""

import argparse
import asyncio
import os
import re
import resource
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from websockets.asyncio.client import ClientConnection, connect

ROOT = Path(__file__).resolve().parent.parent
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
DATABASE = "chirp_bench_streams"
STATUS_ID = re.compile(r'"event": "update", "payload": "\{\\"id\\": \\"(\d+)')


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--listeners", type=int, default=1000)
    parser.add_argument("--sse", type=int, default=1000)
    parser.add_argument("--posts", type=int, default=40)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--every", type=float, default=1.0, help="seconds between posts")
    return parser.parse_args()


def fresh_database() -> str:
    admin = create_engine(f"{SERVER}/postgres", isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f"DROP DATABASE IF EXISTS {DATABASE}"))
        connection.execute(text(f"CREATE DATABASE {DATABASE}"))
    admin.dispose()
    url = f"{SERVER}/{DATABASE}"
    env = {**os.environ, "DATABASE_URL": url}
    alembic = [sys.executable, "-m", "alembic", "upgrade", "head"]
    subprocess.run(alembic, cwd=ROOT, env=env, check=True, capture_output=True)
    return url


def seed(listeners: int) -> tuple[str, list[str], list[str]]:
    """The author's token, and each listener's API token and signed session cookie."""
    from webapp import crud, sessions
    from webapp.db import SessionLocal
    from webapp.models import Follow, User

    with SessionLocal() as session:
        author = User(
            email="author@x", email_key="author@x", username="author", hashed_password="!"
        )
        people = [
            User(email=f"l{i}@x", email_key=f"l{i}@x", username=f"l{i}", hashed_password="!")
            for i in range(listeners)
        ]
        session.add_all([author, *people])
        session.flush()
        session.add_all(Follow(follower_id=p.id, followee_id=author.id) for p in people)
        session.commit()
        day = timedelta(days=1)
        author_token = crud.create_token(session, user_id=author.id, kind="oauth", max_age=day)
        tokens = [
            crud.create_token(session, user_id=p.id, kind="oauth", max_age=day) for p in people
        ]
        cookies = [
            sessions.sign(crud.create_token(session, user_id=p.id, kind="session", max_age=day))
            for p in people
        ]
    return author_token, tokens, cookies


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def serve(url: str, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "DATABASE_URL": url, "ENVIRONMENT": "production"}
    env |= {"RATE_LIMITS_ENABLED": "false"}
    command = [sys.executable, "-m", "uvicorn", "webapp.main:app", "--port", str(port)]
    command += ["--log-level", "warning", "--timeout-graceful-shutdown", "1"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    for _ in range(200):
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/streaming/health").status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.1)
    raise RuntimeError("the app did not start")


async def open_websockets(base: str, tokens: list[str]) -> list[ClientConnection]:

    url = base.replace("http", "ws") + "/api/v1/streaming?stream=user&access_token="
    sockets: list[ClientConnection] = []
    for i in range(0, len(tokens), 50):  # in batches: a burst of 1,000 handshakes queues up
        batch = tokens[i : i + 50]
        sockets += await asyncio.gather(*(connect(url + t, max_queue=None) for t in batch))
    return sockets


async def open_sse(base: str, cookies: list[str]) -> tuple[httpx.AsyncClient, list[httpx.Response]]:
    limits = httpx.Limits(max_connections=None, max_keepalive_connections=None)
    client = httpx.AsyncClient(base_url=base, timeout=None, limits=limits)
    streams: list[httpx.Response] = []
    for cookie in cookies:
        request = client.build_request(
            "GET", "/events/home?after=0", headers={"Cookie": f"chirp_session={cookie}"}
        )
        streams.append(await client.send(request, stream=True))
    return client, streams


async def measure_latency(
    base: str, author_token: str, sockets: list[ClientConnection], posts: int, every: float
) -> list[float]:
    sent: dict[str, float] = {}
    arrivals: list[tuple[str, float]] = []  # (status id, when): an event may beat its POST's answer
    expected = posts * len(sockets)

    async def reader(ws: ClientConnection) -> None:
        async for raw in ws:
            # The status id by a regex, not two json.loads: this client shares the CPU with
            # the server it measures, so it does as little as it can.
            found = STATUS_ID.search(str(raw))
            if found:
                arrivals.append((found.group(1), time.perf_counter()))

    readers = [asyncio.create_task(reader(ws)) for ws in sockets]
    headers = {"Authorization": f"Bearer {author_token}"}
    async with httpx.AsyncClient(base_url=base, headers=headers) as api:
        await api.post("/api/v1/statuses", data={"status": "warm-up, not timed"})
        await asyncio.sleep(every)
        for n in range(posts):
            started = time.perf_counter()
            response = await api.post("/api/v1/statuses", data={"status": f"post {n}"})
            sent[response.json()["id"]] = started
            await asyncio.sleep(every)
    deadline = time.perf_counter() + 30
    while len(arrivals) < expected and time.perf_counter() < deadline:
        await asyncio.sleep(0.1)
    for task in readers:
        task.cancel()
    return [when - sent[status] for status, when in arrivals if status in sent]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def run(
    args: argparse.Namespace, pid: int, base: str, seeded: tuple[str, list[str], list[str]]
) -> None:
    author_token, tokens, cookies = seeded
    await asyncio.sleep(1)
    before = rss_kib(pid)
    sockets = await open_websockets(base, tokens[: args.listeners])
    after_ws = rss_kib(pid)
    client, streams = await open_sse(base, cookies[: args.sse])
    await asyncio.sleep(2)
    after_sse = rss_kib(pid)
    ws, sse = len(sockets), len(streams)
    print(f"idle connections held by one process: {ws + sse} ({ws} WebSocket, {sse} SSE)")
    print(f"process RSS: {before / 1024:.1f} MiB idle -> {after_sse / 1024:.1f} MiB")
    if sockets:
        print(f"  per WebSocket: {(after_ws - before) / len(sockets):.1f} KiB")
    if streams:
        print(f"  per SSE stream: {(after_sse - after_ws) / len(streams):.1f} KiB")
    started = time.perf_counter()
    arrivals = await measure_latency(base, author_token, sockets, args.posts, args.every)
    took = time.perf_counter() - started
    print(f"{args.posts} posts to {ws} WebSocket listeners (+{sse} SSE on the same process):")
    print(f"  {len(arrivals)} of {args.posts * ws} deliveries in {took:.1f}s")
    if arrivals:
        p50, p99 = (percentile(arrivals, share) * 1000 for share in (0.5, 0.99))
        print(f"  post-to-event latency p50 {p50:.1f} ms, p99 {p99:.1f} ms")
    for socket in sockets:
        await socket.close()
    await client.aclose()


def main() -> None:
    args = parse()
    _, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))  # the server inherits it too
    url = fresh_database()
    os.environ.update(DATABASE_URL=url, ENVIRONMENT="production")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
    seeded = seed(max(args.listeners, args.sse))
    process = serve(url, args.port)
    try:
        asyncio.run(run(args, process.pid, f"http://127.0.0.1:{args.port}", seeded))
    finally:
        process.terminate()
        process.wait(timeout=15)


if __name__ == "__main__":
    main()
