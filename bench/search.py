"""Search at a million posts: `python -m bench.search [--reuse]`.

Seeds (or, with --reuse, keeps) a PostgreSQL database of 10k people and 1M posts, then:
1. times the crud calls themselves on one connection (post search for common and rare
   words, people typeahead, trending tags, a tag page, who to follow): p50 and p99;
2. serves the app (production settings, 2 workers) and drives the home page and the search
   pages with wrk, so their req/s stand side by side in the same run.
Writes the tables to bench/out/search-last-run.md.
"""

import argparse
import os
import random
import secrets
import shutil
import time
from collections.abc import Callable
from pathlib import Path
from statistics import quantiles

# Before webapp is imported: the servers and the session cookies signed here share a secret.
os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(48))
os.environ.setdefault("ENVIRONMENT", "production")

from sqlalchemy.orm import Session

from bench import dataset
from bench.drive import (
    HERE,
    Load,
    Result,
    Scenario,
    combine,
    one_round,
    start_server,
    stop_server,
    warm_up,
)
from webapp.crud import discovery, search, tags
from webapp.db import make_engine
from webapp.seeding.data import WORDS

PORT = 8851
Timing = tuple[str, float, float, int]


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.search")
    parser.add_argument("--database", default="chirp_bench_search")
    parser.add_argument("--users", type=int, default=10_000)
    parser.add_argument("--tweets", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=200, help="calls per timed case")
    parser.add_argument("--reuse", action="store_true", help="keep a data set already seeded")
    parser.add_argument("--seconds", type=int, default=3)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    url = dataset.prepare(args.database, users=args.users, tweets=args.tweets, reuse=args.reuse)
    load = os.getloadavg()
    timings = time_crud(url, args.runs)
    served = serve_and_drive(url, args)
    out = "\n\n".join(
        [
            f"{args.tweets:,} posts, {args.users:,} people; load average before: "
            + " ".join(f"{x:.1f}" for x in load),
            crud_table(timings),
            http_table(served),
        ]
    )
    print("\n" + out)
    (HERE / "out").mkdir(exist_ok=True)
    (HERE / "out" / "search-last-run.md").write_text(out + "\n")


def timed(name: str, runs: int, call: Callable[[int], object]) -> Timing:
    """p50 and p99 of `runs` calls (after 10 untimed ones), in milliseconds."""
    for i in range(10):
        call(i)
    spent = []
    for i in range(runs):
        started = time.perf_counter()
        call(i)
        spent.append((time.perf_counter() - started) * 1000)
    cuts = quantiles(spent, n=100, method="inclusive")
    return name, cuts[49], cuts[98], runs


def word(i: int) -> str:
    return WORDS[i % len(WORDS)]


def two(i: int) -> str:
    return f"{word(i)} {word(i * 7 + 3)}"


def time_crud(url: str, runs: int) -> list[Timing]:
    engine = make_engine(url)
    rng = random.Random(15)
    n = runs + 10
    rare = [str(rng.randint(1, 1_000_000)) for _ in range(n)]  # each number is in one post
    starts = ["u", "us", "user", "User "]
    prefixes = [
        rng.choice(starts) + str(rng.randint(1, 9999))[: rng.randint(0, 4)] for _ in range(n)
    ]
    users = [rng.randint(1, 10_000) for _ in range(n)]
    with Session(engine) as s:
        second = {w: search.search_posts(s, q=w).next for w in WORDS}

        def posts(q: str, cursor: search.Cursor | None = None) -> object:
            return search.search_posts(s, q=q, cursor=cursor)

        cases: list[tuple[str, Callable[[int], object]]] = [
            ("post search, common word (first page)", lambda i: posts(word(i))),
            ("post search, two common words", lambda i: posts(two(i))),
            ('post search, "a phrase"', lambda i: posts(f'"{two(i)}"')),
            ("post search, word -exclude", lambda i: posts(f"{word(i)} -{word(i + 1)}")),
            ("post search, common word, page 2", lambda i: posts(word(i), second[word(i)])),
            ("post search, rare word (1 post)", lambda i: posts(rare[i])),
            ("post search, word no post has", lambda i: posts(f"nosuchword{i}")),
            ("post search, from:handle word", lambda i: posts(f"from:user{users[i]} {word(i)}")),
            (
                "people typeahead (6 names)",
                lambda i: search.search_people(s, q=prefixes[i], limit=6),
            ),
            ("trending tags (24 h, by people)", lambda i: tags.trending(s)),
            ("tag page (#coffee, 20 posts)", lambda i: tags.tag_timeline(s, tag="coffee")),
            ("tag search (prefix)", lambda i: tags.search_tags(s, prefix=prefixes[i][-2:])),
            ("who to follow", lambda i: discovery.who_to_follow(s, user_id=users[i])),
        ]
        results = []
        for name, call in cases:
            print(f"  {name} ...", flush=True)
            results.append(timed(name, runs, call))
    engine.dispose()
    return results


def serve_and_drive(url: str, args: argparse.Namespace) -> list[Result]:
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk")
    engine = make_engine(url)
    who = dataset.actors(engine)
    cookie = {"BENCH_COOKIE": dataset.session_cookie(engine, who.typical)}
    engine.dispose()
    htmx = {**cookie, "BENCH_HX": "1"}
    rows = [
        Scenario("home, typical user", "app", "/", env=cookie),
        Scenario("search posts: coffee", "app", "/search?q=coffee", env=cookie),
        Scenario("search posts: rare word", "app", "/search?q=123456", env=cookie),
        Scenario("search people: user12", "app", "/search?q=user12&tab=people", env=cookie),
        Scenario("suggestions as you type", "app", "/search/suggest?q=user12", env=htmx),
        Scenario("trending tags page", "app", "/tags", env=cookie),
    ]
    env = {
        "DATABASE_URL": url,
        "SQL_COUNT_HEADER": "true",
        "MAX_CONCURRENT_REQUESTS": "2",
        "RATE_LIMITS_ENABLED": "false",
    }
    log = Path(HERE / "out" / "search-servers.log")
    log.parent.mkdir(exist_ok=True)
    server = start_server("webapp.main:app", port=PORT, workers=2, env=env, log=log)
    base = f"http://127.0.0.1:{PORT}"
    load = Load(args.seconds, 1, args.rounds, args.connections, 2)
    try:
        results = []
        for row in rows:
            print(f"  {row.name} ...", flush=True)
            probed = warm_up(base, row, load)
            rounds = [one_round(base, row, load, n) for n in range(1, load.rounds + 1)]
            results.append(combine(row, probed, rounds))
        return results
    finally:
        stop_server(server)


def crud_table(timings: list[Timing]) -> str:
    lines = ["| crud call, one connection | p50 ms | p99 ms | calls |", "|---|---:|---:|---:|"]
    lines += [f"| {name} | {p50:.1f} | {p99:.1f} | {n} |" for name, p50, p99, n in timings]
    return "\n".join(lines)


def http_table(results: list[Result]) -> str:
    lines = [
        "| page (wrk, 2 workers) | req/s | p50 ms | p99 ms | errors | SQL |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r.scenario.name} | {r.rps:.0f} | {r.p50_ms:.1f} | {r.p99_ms:.1f} | {r.errors} "
        f"| {r.statements} |"
        for r in results
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    main()
