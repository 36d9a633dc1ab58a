"""Command line.

python -m webapp.cli seed --users 10000 --tweets 1000000 [--reset]
python -m webapp.cli grant-admin HANDLE
python -m webapp.cli sweep-media [--hours 24]
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
    args = parser.parse_args(argv)
    if args.command == "sweep-media":
        return _sweep_media(args.hours)
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
