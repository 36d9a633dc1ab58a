"""CPU time per request, one worker: where bench/run's req/s goes, without the noise.

    bench/cpu [--db chirp_bench_10k] [--seconds 6] [path ...]

Serves the app (and the reference page) as a single uvicorn worker each on an already seeded
data set (bench/run makes them), drives each path with wrk at 8 connections, and prints the
server's CPU milliseconds per request (user + system, from /proc) beside req/s. On a shared
machine req/s swings with the load; CPU per request barely moves, so it shows what a code
change did. Paths default to the home page, its htmx fragment, /healthz and the reference.
"""

import argparse
import os
from pathlib import Path

from sqlalchemy.orm import Session

from bench import dataset
from bench.drive import Load, Scenario, one_round, start_server, stop_server
from webapp.crud import timelines
from webapp.db import make_engine

TICKS = os.sysconf("SC_CLK_TCK")


def _seconds(stat: str) -> float:
    """utime + stime from the text of /proc/<pid>/stat."""
    fields = stat.rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def cpu_seconds(pid: int) -> float:
    return _seconds(Path(f"/proc/{pid}/stat").read_text())


def postgres_seconds() -> float:
    """CPU of every PostgreSQL process on the machine (the server shares the cores)."""
    total = 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        if "(postgres)" in text:
            total += _seconds(text)
    return total


def server_env(url: str) -> dict[str, str]:
    """How bench/cpu and bench/ratio serve the app and the reference: one worker each."""
    return {
        "DATABASE_URL": url,
        "ENVIRONMENT": "production",
        "RATE_LIMITS_ENABLED": "false",
        "MAX_CONCURRENT_REQUESTS": "4",
    }


def log_file(name: str) -> Path:
    """bench/out/<name>, the servers' output."""
    log = Path(__file__).resolve().parent / "out" / name
    log.parent.mkdir(exist_ok=True)
    return log


def drive(base: str, path: str, env: dict[str, str], seconds: int) -> int:
    """Requests wrk completed on `path` in `seconds` at 8 connections."""
    load = Load(seconds=seconds, warmup=0, rounds=1, connections=8, threads=2)
    return one_round(base, Scenario(path, "app", path, env=env), load, 0)["requests"]


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/cpu")
    parser.add_argument("--db", default="chirp_bench_10k")
    parser.add_argument("--seconds", type=int, default=6)
    parser.add_argument("paths", nargs="*")
    args = parser.parse_args()
    driver = os.environ.get("BENCH_DRIVER", "psycopg")
    url = f"postgresql+{driver}://postgres@127.0.0.1:5432/{args.db}"
    engine = make_engine(url)
    who = dataset.actors(engine)
    cookie = dataset.session_cookie(engine, who.typical)
    with Session(engine) as session:
        page2 = timelines.home_timeline(session, user_id=who.typical).next_before
    engine.dispose()
    signed = {"BENCH_COOKIE": cookie}
    rows = [
        ("app", "/", signed),
        ("app", f"/?before={page2}", {**signed, "BENCH_HX": "1"}),
        ("app", "/healthz", {}),
        ("reference", "/", {}),
    ]
    if args.paths:
        rows = [("app", path, signed) for path in args.paths]
    env = server_env(url)
    log = log_file("cpu.log")
    servers = {
        "app": start_server("webapp.main:app", port=8891, workers=1, env=env, log=log),
        "reference": start_server("bench.reference:app", port=8892, workers=1, env=env, log=log),
    }
    ports = {"app": 8891, "reference": 8892}
    try:
        print(f"{'server':<10} {'path':<28} {'req/s':>7} {'CPU ms/req':>10} {'PostgreSQL':>10}")
        for server, path, headers in rows:
            base = f"http://127.0.0.1:{ports[server]}"
            drive(base, path, headers, 1)  # warm up
            pid = servers[server].pid  # one worker: uvicorn serves in the launched process
            before, database = cpu_seconds(pid), postgres_seconds()
            requests = drive(base, path, headers, args.seconds)
            used, database = cpu_seconds(pid) - before, postgres_seconds() - database
            rate, app_ms, db_ms = (
                requests / args.seconds,
                1000 * used / requests,
                1000 * database / requests,
            )
            print(f"{server:<10} {path:<28} {rate:>7.0f} {app_ms:>10.2f} {db_ms:>10.2f}")
    finally:
        for process in servers.values():
            stop_server(process)


if __name__ == "__main__":
    main()
