"""Where one page's CPU goes: calls the ASGI app in-process, under yappi.

    .venv/bin/python -m bench.profile [--db chirp_bench_10k] [--requests 2000] [path]

No server, no socket, no wrk: the app object is called with a GET of `path` as the seeded
typical reader (signed session cookie), the same request over and over, and yappi's table
(CPU time, every thread: the route's work runs in a worker thread) shows which functions
the time goes to. Production settings, as bench/run uses.
"""

import argparse
import asyncio
import os
import secrets
import time
from typing import Any


def _scope(path: str, cookie: str, bearer: str = "") -> dict[str, Any]:
    raw_path, _, query = path.partition("?")
    return {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": raw_path,
        "raw_path": raw_path.encode(),
        "query_string": query.encode(),
        "root_path": "",
        "headers": [
            (b"host", b"127.0.0.1:8000"),
            (b"cookie", cookie.encode()),
            (b"accept", b"text/html"),
            *([(b"authorization", bearer.encode())] if bearer else []),
        ],
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 8000),
    }


async def _call(app: Any, scope: dict[str, Any]) -> int:
    status = 0

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]

    await app(scope, receive, send)
    return status


async def _run(app: Any, scope: dict[str, Any], requests: int) -> float:
    """CPU seconds of this process (every thread) for `requests` requests, one at a time."""
    started = time.process_time()
    for _ in range(requests):
        status = await _call(app, scope)
        if status != 200:
            raise SystemExit(f"{scope['path']} answered {status}")
    return time.process_time() - started


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/profile")
    parser.add_argument("--db", default="chirp_bench_10k")
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--sort", default="tsub", help="tsub (own time) or ttot")
    parser.add_argument("--lines", type=int, default=45)
    parser.add_argument("--warm", type=int, default=200, help="requests before measuring")
    parser.add_argument("--bearer", action="store_true", help="as a Mastodon app (a token)")
    parser.add_argument("--no-profile", action="store_true", help="only time the requests")
    parser.add_argument("--reference", action="store_true", help="the reference page instead")
    parser.add_argument("path", nargs="?", default="/")
    args = parser.parse_args()
    url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{args.db}"
    os.environ.update(DATABASE_URL=url, RATE_LIMITS_ENABLED="false")
    # Production settings, as bench/run serves: templates not reloaded, cards cached.
    os.environ.setdefault("ENVIRONMENT", "production")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))

    import importlib

    from bench import dataset
    from webapp.db import make_engine

    app: Any = importlib.import_module("bench.reference" if args.reference else "webapp.main").app

    engine = make_engine(url)
    reader = dataset.actors(engine).typical
    cookie = "" if args.bearer else dataset.session_cookie(engine, reader)
    token = dataset.bearer(engine, reader) if args.bearer else ""
    engine.dispose()
    scope = _scope(args.path, cookie, token)
    asyncio.run(_run(app, scope, args.warm))  # warm: pools, prepared statements, template cache
    if args.no_profile:
        seconds = asyncio.run(_run(app, scope, args.requests))
        print(f"{1000 * seconds / args.requests:.3f} ms of CPU a request (the app's own)")
        return
    import yappi  # type: ignore[import-untyped]

    yappi.set_clock_type("cpu")
    yappi.start()
    seconds = asyncio.run(_run(app, scope, args.requests))
    yappi.stop()
    print(f"{1000 * seconds / args.requests:.3f} ms a request under the profiler")
    stats = yappi.get_func_stats()
    stats.sort(args.sort, "desc")
    stats.print_all(
        columns={0: ("name", 90), 1: ("ncall", 12), 2: ("tsub", 8), 3: ("ttot", 8), 4: ("tavg", 8)},
        limit=args.lines,
    )


if __name__ == "__main__":
    main()
