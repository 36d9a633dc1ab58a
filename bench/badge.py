"""What the nav badge adds to every signed-in page: the session lookup with and without its
unread-count column, timed on PostgreSQL for someone with many unread notifications.

    .venv/bin/python -m bench.badge [--unread 5000] [--runs 3000]

Uses the database bench/streams.py made (chirp_bench_streams: 1,000 people who follow one
author), gives the first of them `--unread` notifications, and runs each statement `--runs`
times on one connection: the mean time per statement, in microseconds.
"""

import argparse
import os
import time
from datetime import timedelta

DATABASE_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/chirp_bench_streams"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--unread", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=3000)
    args = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", DATABASE_URL)
    os.environ.setdefault("SECRET_KEY", "bench-badge-not-a-secret-" + "x" * 20)

    from sqlalchemy import delete, insert, select

    from webapp import crud
    from webapp.crud.live import user_and_unread_for_token
    from webapp.db import SessionLocal
    from webapp.models import Notification, User

    with SessionLocal() as session:
        people = session.scalars(select(User.id).order_by(User.id).limit(args.unread + 1)).all()
        me, actors = people[0], people[1:]
        session.execute(delete(Notification).where(Notification.recipient_id == me))
        rows = [{"recipient_id": me, "actor_id": a, "kind": "follow"} for a in actors]
        if rows:
            session.execute(insert(Notification), rows)
        session.commit()
        token = crud.create_token(session, user_id=me, kind="session", max_age=timedelta(days=1))
        for name, lookup in (
            ("session lookup", lambda: crud.user_for_token(session, token, kind="session")),
            ("with the badge", lambda: user_and_unread_for_token(session, token, kind="session")),
        ):
            for _ in range(200):
                lookup()  # warm the plan cache and the buffers
            started = time.perf_counter()
            for _ in range(args.runs):
                lookup()
            mean = (time.perf_counter() - started) / args.runs * 1e6
            print(f"{name}: {mean:.0f} µs per statement ({len(actors)} unread notifications)")


if __name__ == "__main__":
    main()
