"""Command line.

python -m webapp.cli seed --users 10000 --tweets 1000000 [--reset]
python -m webapp.cli grant-admin HANDLE
python -m webapp.cli sweep-media [--hours 24]
python -m webapp.cli worker [--once]          # the job queue's worker (webapp/jobs.py)
python -m webapp.cli feeds rebuild HANDLE ... | --all     # home feeds, from scratch
python -m webapp.cli feeds trim
python -m webapp.cli vapid-keys                 # a VAPID pair for .env (Web Push)
"""

import argparse
import sys
import time

from sqlalchemy.orm import Session

from webapp.config import settings
from webapp.crud import moderation
from webapp.crud.errors import NotFound
from webapp.db import make_engine
from webapp.seeding import PASSWORD, NotEmpty, seed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m webapp.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    fill = commands.add_parser("seed", help="fill the database with a realistic data set")
    fill.add_argument("--users", type=_positive, default=10_000)
    fill.add_argument("--tweets", type=_positive, default=1_000_000)
    fill.add_argument("--likes", type=_positive, help="default: half the number of tweets")
    fill.add_argument("--database-url", default=settings.database_url)
    fill.add_argument("--reset", action="store_true", help="delete everything there first")
    fill.add_argument("--random-seed", type=int, default=42)
    admin = commands.add_parser("grant-admin", help="let someone use the /admin pages")
    admin.add_argument("handle")
    admin.add_argument("--database-url", default=settings.database_url)
    sweep = commands.add_parser(
        "sweep-media", help="delete uploads never attached to a post (issue 16), e.g. daily"
    )
    sweep.add_argument("--hours", type=_positive, default=24, help="older than this (24)")
    worker = commands.add_parser("worker", help="run queued jobs (PostgreSQL; see JOBS_IN_APP)")
    worker.add_argument("--once", action="store_true", help="run what waits now, then stop")
    feed = commands.add_parser("feeds", help="home feeds (PostgreSQL): rebuild or trim")
    feed.add_argument("action", choices=["rebuild", "trim"])
    feed.add_argument("handles", nargs="*", help="whose feeds to rebuild")
    feed.add_argument("--all", action="store_true", help="rebuild every feed being kept")
    commands.add_parser("vapid-keys", help="print a new VAPID key pair for .env (Web Push)")
    args = parser.parse_args(argv)
    if args.command == "vapid-keys":
        return _vapid_keys()
    if args.command == "sweep-media":
        return _sweep_media(args.hours)
    if args.command == "worker":
        return _worker(once=args.once)
    if args.command == "feeds":
        return _feeds(args)
    return _grant_admin(args) if args.command == "grant-admin" else _seed(args)


def _grant_admin(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url)
    try:
        with Session(engine) as session:
            user = moderation.grant_admin(session, username=args.handle.lstrip("@"))
            print(f"@{user.username} is now an admin: /admin is open to them.")
    except NotFound:
        print(f"There is no account @{args.handle.lstrip('@')}.", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    return 0


def _sweep_media(hours: int) -> int:
    from datetime import timedelta

    from webapp.crud.media import sweep_unattached
    from webapp.db import SessionLocal

    with SessionLocal() as session:
        gone = sweep_unattached(session, older_than=timedelta(hours=hours))
    print(f"Deleted {gone} unattached upload(s) older than {hours} h, with their files.")
    return 0


def _worker(*, once: bool) -> int:
    from webapp import jobs

    if not jobs.POSTGRES:
        print("The job queue runs on PostgreSQL only; on SQLite nothing is queued.")
        return 2
    if once:
        jobs.run_pending()
    else:
        print("Worker started: home feeds, scheduled posts, Web Push. Ctrl+C stops it.", flush=True)
        jobs.queue.run_worker(queues=jobs.QUEUES)
    return 0


def _feeds(args: argparse.Namespace) -> int:
    from webapp import jobs
    from webapp.crud import feeds
    from webapp.crud.users import get_user_by_username
    from webapp.db import SessionLocal

    if not jobs.POSTGRES:
        print("Home feeds are kept on PostgreSQL only; SQLite reads the timeline directly.")
        return 2
    if args.action == "trim":
        print(f"Trimmed {jobs.trim_all()} feed(s) back to {feeds.FEED_DEPTH} posts.")
        return 0
    with SessionLocal() as session:
        try:
            ids = [get_user_by_username(session, h.lstrip("@")).id for h in args.handles]
        except NotFound as error:
            print(f"{error}: no such account.", file=sys.stderr)
            return 2
        if args.all:
            ids += feeds.kept_users(session, limit=10**9)
        for done, user_id in enumerate(ids, 1):
            rows = feeds.rebuild(session, user_id)
            print(f"\rrebuilt {done:,}/{len(ids):,} feeds (last: {rows:,} posts)", end="")
    print()
    return 0


def _vapid_keys() -> int:
    from webapp import vapid

    pair = vapid.generate()
    print(f"VAPID_PRIVATE_KEY={pair.private_key}\nVAPID_PUBLIC_KEY={pair.public_key}")
    return 0


def _seed(args: argparse.Namespace) -> int:
    engine = make_engine(args.database_url, statement_timeout_ms=0)  # bulk loads run long
    started = time.monotonic()
    try:
        counts = seed(
            engine,
            users=args.users,
            tweets=args.tweets,
            likes=args.likes,
            reset=args.reset,
            rng_seed=args.random_seed,
        )
    except NotEmpty as error:
        print(f"Not seeding: {error}", file=sys.stderr)
        return 2
    finally:
        engine.dispose()
    print(
        f"Seeded {counts.users:,} users, {counts.follows:,} follows, {counts.tweets:,} tweets, "
        f"{counts.likes:,} likes in {time.monotonic() - started:.1f}s. "
        f"Every account logs in as userN@example.com with password {PASSWORD!r}."
    )
    return 0


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


if __name__ == "__main__":
    sys.exit(main())
