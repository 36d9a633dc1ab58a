"""bench/run: seed 10k and 1M tweets, serve the app and the reference page, drive both with wrk.

Prints the results table (req/s, p50, p99, errors, SQL statements per request) and a
reading of the issue's targets; writes both to bench/out/last-run.md.
"""

import argparse
import os
import platform
import re
import subprocess
from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from bench import dataset, fanout, feeds, report
from bench.drive import (
    HERE,
    Load,
    Result,
    Scenario,
    combine,
    one_round,
    probe,
    start_server,
    stop_server,
    warm_up,
)
from webapp import crud
from webapp.crud import feeds as home_feeds
from webapp.crud import scheduled, timelines
from webapp.db import make_engine
from webapp.models import ScheduledStatus, Tweet, utcnow

THREAD_MIDDLE = "the middle of the benchmark's thread"
BASE_PORT = 8801  # data set i: the app on 8801 + 2i, the reference page on 8802 + 2i


def main() -> None:
    parser = argparse.ArgumentParser(prog="bench/run")
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--sizes", default="10000,1000000", help="tweets per data set")
    parser.add_argument("--seconds", type=int, default=3, help="seconds per measured round")
    parser.add_argument("--rounds", type=int, default=5, help="measured rounds per row")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of warm-up per row")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--workers", type=int, default=2, help="uvicorn workers (each server)")
    parser.add_argument(
        "--concurrency", default="2", help="MAX_CONCURRENT_REQUESTS per worker, both servers"
    )
    parser.add_argument("--reuse", action="store_true", help="keep data sets already seeded")
    parser.add_argument(
        "--feeds-only", action="store_true", help="only the follow-shape rows (issue 18), on 1M"
    )
    parser.add_argument("--no-feeds", action="store_true", help="leave out the follow-shape rows")
    args = parser.parse_args()
    out = HERE / "out"
    out.mkdir(exist_ok=True)
    (out / "servers.log").write_bytes(b"")  # the servers' output, this run only
    urls = {}
    for tweets in map(int, args.sizes.split(",")):
        label = f"{tweets // 1_000_000}M" if tweets >= 1_000_000 else f"{tweets // 1000}k"
        name = f"chirp_bench_{label.lower()}"
        urls[label] = dataset.prepare(name, users=args.users, tweets=tweets, reuse=args.reuse)
    load_before = os.getloadavg()
    parts = []
    if not args.feeds_only:
        results = run_all(urls, args, out / "servers.log", scenarios)
        parts += [report.table(results), report.targets(results)]
    if not args.no_feeds:
        largest = list(urls)[-1]
        shaped = run_all({largest: urls[largest]}, args, out / "servers.log", feed_scenarios)
        parts += [report.table(shaped), report.feed_targets(shaped[largest])]
        parts.append(fanout.measure(urls[largest], BASE_PORT))
    summary = "\n\n".join([machine(load_before), *parts])
    print("\n" + summary)
    (out / "last-run.md").write_text(summary + "\n")


def run_all(
    urls: dict[str, str],
    args: argparse.Namespace,
    log: Path,
    make: Callable[[str, str], list[Scenario]],
) -> dict[str, list[Result]]:
    """Serve every data set at once and measure each scenario on each in turn, so a burst of
    load from elsewhere on the machine hits the sizes alike rather than skewing one."""
    servers: list[subprocess.Popen[bytes]] = []
    plans: dict[str, list[tuple[str, Scenario]]] = {}
    try:
        for i, (label, url) in enumerate(urls.items()):
            app_port, reference_port = BASE_PORT + 2 * i, BASE_PORT + 2 * i + 1
            env = {
                "DATABASE_URL": url,
                "ENVIRONMENT": "production",
                "SQL_COUNT_HEADER": "true",
                "MAX_CONCURRENT_REQUESTS": args.concurrency,
                # Every request comes from one IP and a few accounts: limits would 429 them.
                "RATE_LIMITS_ENABLED": "false",
            }
            for module, port in [
                ("webapp.main:app", app_port),
                ("bench.reference:app", reference_port),
            ]:
                servers.append(
                    start_server(module, port=port, workers=args.workers, env=env, log=log)
                )
            bases = {
                "app": f"http://127.0.0.1:{app_port}",
                "reference": f"http://127.0.0.1:{reference_port}",
            }
            plans[label] = [(bases[s.server], s) for s in make(url, bases["app"])]
        for url in urls.values():  # jobs the set-up queued (a new thread's fan-out) go first
            fanout.drain(url)
        load = Load(args.seconds, args.warmup, args.rounds, args.connections, args.threads)
        results: dict[str, list[Result]] = {label: [] for label in urls}
        for row in range(min(len(plan) for plan in plans.values())):
            measured = {label: plan[row] for label, plan in plans.items()}
            print(f"  {measured[next(iter(urls))][1].name} ...", flush=True)
            probed = {label: warm_up(base, s, load) for label, (base, s) in measured.items()}
            rounds: dict[str, list[dict[str, int]]] = {label: [] for label in urls}
            for number in range(1, load.rounds + 1):  # sizes take turns, round by round
                for label, (base, scenario) in measured.items():
                    rounds[label].append(one_round(base, scenario, load, number))
            for label, (_, scenario) in measured.items():
                results[label].append(combine(scenario, probed[label], rounds[label]))
            if measured[next(iter(urls))][1].script == "post":  # let the fan-out jobs finish
                for url in urls.values():
                    fanout.drain(url)
        return results
    finally:
        for server in servers:
            stop_server(server)


def scenarios(url: str, base: str) -> list[Scenario]:
    engine = make_engine(url)
    who = dataset.actors(engine)
    keep_feeds(engine, [who.typical, who.inactive, who.writer])
    keep_scheduled(engine, who.typical)
    thread = keep_thread(engine, who.typical)
    typical = dataset.session_cookie(engine, who.typical)
    writer = dataset.session_cookie(engine, who.writer)
    status, _, page = probe(base, Scenario("detect", "app", "/", env={"BENCH_COOKIE": writer}))
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    with Session(engine) as session:
        page2 = timelines.home_timeline(session, user_id=who.typical).next_before
    like = {
        "BENCH_MIN": str(max(1, who.newest_tweet - 20_000)),
        "BENCH_MAX": str(who.newest_tweet - 1),
        "BENCH_IDS": str(_public_ids(engine, who.newest_tweet)),
    }
    if status == 200 and csrf:  # the HTML pages are there
        signed = {"BENCH_COOKIE": typical}
        app_token = {"BENCH_AUTH": dataset.bearer(engine, who.typical)}
        write = {"BENCH_COOKIE": writer, "BENCH_CSRF": csrf.group(1), "BENCH_HX": "1"}
        rows = [
            Scenario("home, typical user", "app", "/", env=signed),
            Scenario(
                "home fragment (htmx, page 2)",
                "app",
                f"/?before={page2}",
                env={**signed, "BENCH_HX": "1"},
            ),
            Scenario(
                "home, follows only inactive",
                "app",
                "/",
                env={"BENCH_COOKIE": dataset.session_cookie(engine, who.inactive)},
            ),
            Scenario("everyone timeline", "app", "/?feed=everyone", env=signed),
            Scenario("profile", "app", f"/@{who.profile}", env=signed),
            # Issue 19: what a Mastodon app reads most (the same feed as the home page, as
            # JSON), and the page of one's scheduled posts.
            Scenario("Mastodon home timeline", "app", "/api/v1/timelines/home", env=app_token),
            Scenario("scheduled posts page", "app", "/scheduled", env=signed),
            # Issue 13: a post's page with its parent above and 200 replies below (one page
            # of them shown): a fixed number of statements, whatever the thread's size.
            Scenario("thread of 200 replies", "app", f"/t/{thread}", env=signed),
            Scenario(
                "page 50 by cursor",
                "app",
                f"/?feed=everyone&before={who.page50_before}",
                env={**signed, "BENCH_HX": "1"},
            ),
            Scenario("post a tweet", "app", "/t", "post", env={**write, "BENCH_PATH": "/t"}),
            Scenario(
                "like",
                "app",
                "/t/{id}/like",
                "like",
                env={**write, **like, "BENCH_PATH": "/t/{id}/like"},
            ),
        ]
    else:  # before the pages land: the JSON API's keyset reads and writes
        auth = {"BENCH_AUTH": dataset.bearer(engine, who.writer), "BENCH_JSON": "1"}
        with engine.connect() as connection:
            profile_id = connection.scalar(
                text("SELECT id FROM users WHERE username = :u"), {"u": who.profile}
            )
        newest = who.newest_tweet + 1
        rows = [
            Scenario("everyone timeline", "app", f"/tweets/?before={newest}&limit=20"),
            Scenario("profile", "app", f"/users/{profile_id}/tweets/?before={newest}&limit=20"),
            Scenario("page 50 by cursor", "app", f"/tweets/?before={who.page50_before}&limit=20"),
            Scenario(
                "post a tweet",
                "app",
                "/t",
                "post",
                env={**auth, "BENCH_PATH": f"/users/{who.writer}/tweets/"},
            ),
            Scenario(
                "like",
                "app",
                "/like",
                "like",
                env={**auth, **like, "BENCH_PATH": f"/users/{who.writer}/likes/"},
            ),
        ]
    engine.dispose()
    # The flat-cost rows again with one connection: at 32 connections latency is mostly
    # queueing (32 / req/s) and moves with how wrk's connections split between the two
    # workers (so does 2: both on one worker halves req/s). With one connection nothing
    # queues: it is the request's own time, which is what must not grow with the table.
    unloaded = [
        replace(row, name=f"{row.name}{report.UNLOADED}", connections=1)
        for row in rows
        if row.name in report.FLAT
    ]
    # Writes last: the rows they add set off autovacuum, which would disturb reads after them.
    reads = [row for row in rows if row.script == "get"]
    writes = [row for row in rows if row.script != "get"]
    # The reference page right after the home row: their ratio is the target, and rows
    # minutes apart saw the machine at different speeds (the same code measured 0.24x to
    # 0.34x while the reference page came three to four minutes after the home row).
    reference = Scenario("reference page", "reference", "/")
    return [reads[0], reference, *reads[1:], *unloaded, *writes]


def keep_feeds(engine: Engine, user_ids: list[int]) -> None:
    """Build the home feeds of those the rows read as, then ANALYZE: the steady state of
    people who have opened their home before (the first visit queues a job that does the
    same), with the statistics autovacuum would have gathered by then."""
    with Session(engine) as session:
        for user_id in user_ids:
            home_feeds.rebuild(session, user_id)
        session.execute(text("ANALYZE home_feed"))
        session.commit()


def keep_scheduled(engine: Engine, user_id: int, n: int = 20) -> None:
    """Give the typical user a page of posts scheduled for next year (once per data set),
    so the scheduled posts rows read a full list."""
    with Session(engine) as session:
        waiting = session.scalar(select(func.count()).where(ScheduledStatus.user_id == user_id))
        when = utcnow() + timedelta(days=365)
        for i in range(n - (waiting or 0)):
            draft = scheduled.Draft(text=f"scheduled post {i} for the benchmark")
            scheduled.schedule(
                session, owner_id=user_id, draft=draft, scheduled_at=when + timedelta(hours=i)
            )
        session.commit()


def keep_thread(engine: Engine, reader: int, replies: int = 200) -> int:
    """The id of a reply with `replies` replies of its own (made once per data set by an
    account of the benchmark's, answered by it and by the reader in turn)."""
    with Session(engine) as session:
        author = dataset.account(session, "bench_thread")
        middle = session.scalar(
            select(Tweet.id).where(Tweet.owner_id == reader, Tweet.text == THREAD_MIDDLE)
        )
        if middle is None:
            root = crud.create_tweet(session, owner_id=author, text="a thread for the benchmark")
            middle = crud.create_tweet(
                session, owner_id=reader, text=THREAD_MIDDLE, in_reply_to_id=root.id
            ).id
            for i in range(replies):
                crud.create_tweet(
                    session,
                    owner_id=author if i % 2 else reader,
                    text=f"reply {i} in the benchmark's thread",
                    in_reply_to_id=middle,
                )
        return middle


def _public_ids(engine: Engine, newest: int) -> Path:
    """The newest 20,000 public posts (not reposts), for the like row: each a 200."""
    out = HERE / "out" / f"public-ids-{engine.url.database}.txt"
    query = text(
        "SELECT id FROM tweets WHERE visibility = 'public' AND repost_of_id IS NULL "
        "AND id < :newest ORDER BY id DESC LIMIT 20000"
    )
    with engine.connect() as connection:
        ids = connection.scalars(query, {"newest": newest}).all()
    out.write_text("".join(f"{i}\n" for i in ids))
    return out


def feed_scenarios(url: str, base: str) -> list[Scenario]:
    """Issue 18: home timelines of people following 10 to 10,000 accounts, first page and
    page 50, each read from a kept feed; then posting as someone with 5,000 followers."""
    engine = make_engine(url)
    shapes, star = feeds.prepare(engine)
    reference = Scenario("reference page", "reference", "/")
    rows = [reference]
    for shape in shapes:
        signed = {"BENCH_COOKIE": dataset.session_cookie(engine, shape.user_id)}
        rows.append(Scenario(f"home, follows {shape.name}", "app", "/", env=signed))
        if shape.page50_before is not None:
            rows.append(
                Scenario(
                    f"home page 50, follows {shape.name}",
                    "app",
                    f"/?before={shape.page50_before}",
                    env={**signed, "BENCH_HX": "1"},
                )
            )
    writer = dataset.session_cookie(engine, star)
    status, _, page = probe(base, Scenario("detect", "app", "/", env={"BENCH_COOKIE": writer}))
    csrf = re.search(r'<meta name="csrf-token" content="([^"]+)"', page)
    engine.dispose()
    assert status == 200 and csrf, "the star's home page did not load"
    write = {
        "BENCH_COOKIE": writer,
        "BENCH_CSRF": csrf.group(1),
        "BENCH_HX": "1",
        "BENCH_PATH": "/t",
    }
    rows.append(Scenario(report.STAR_POST, "app", "/t", "post", env=write, connections=1))
    return rows


def machine(load_before: tuple[float, float, float]) -> str:
    version = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc", "SHOW server_version"],
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    load_after = os.getloadavg()
    return (
        f"Load average (1 min) before the measurements {load_before[0]:.1f}, "
        f"after {load_after[0]:.1f}.\n"
        f"Machine: {os.cpu_count()} CPUs (nproc), {platform.processor() or platform.machine()}, "
        f"Python {platform.python_version()}, PostgreSQL {version}"
    )


if __name__ == "__main__":
    main()
