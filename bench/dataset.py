"""The benchmark's databases: create, migrate, seed, and pick who the scenarios act as."""

import os
import subprocess
import sys
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select, text
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

from webapp import crud, sessions
from webapp.crud import timelines
from webapp.db import make_engine
from webapp.models import Tweet
from webapp.seeding import seed

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"


@dataclass(frozen=True)
class Actors:
    typical: int  # follows the median number of accounts
    inactive: int  # never posted, follows only accounts that never posted: an empty timeline
    profile: str  # handle of the most-followed account
    writer: int  # a fresh account for posting and liking (no earlier likes to collide with)
    page50_before: int  # cursor of page 50 of the everyone timeline
    newest_tweet: int


def prepare(name: str, *, users: int, tweets: int, reuse: bool) -> str:
    """The URL of database `name`, holding the data set (re-seeded unless reuse finds it)."""
    url = f"{SERVER}/{name}"
    env = {**os.environ, "DATABASE_URL": url}
    if reuse and _has(url, tweets):
        print(f"{name}: reusing the {tweets:,}-tweet data set already there (migrated to head)")
        subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], env=env, check=True)
        return url
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"')
    subprocess.run([sys.executable, "-m", "alembic", "upgrade", "head"], env=env, check=True)
    engine = make_engine(url, statement_timeout_ms=0)  # bulk loads run long
    try:
        seed(engine, users=users, tweets=tweets)
    finally:
        engine.dispose()
    _admin("VACUUM ANALYZE", database=name)  # visibility map: index-only scans from the start
    return url


def _admin(*statements: str, database: str = "postgres") -> None:
    engine = make_engine(f"{SERVER}/{database}").execution_options(isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        for statement in statements:
            connection.execute(text(statement))
    engine.dispose()


def _has(url: str, tweets: int) -> bool:
    """Whether the seeded tweets (ids 1 to `tweets`) are all there. Counting every tweet would
    miss the set as soon as a run has posted (the post row, the thread of keep_thread)."""
    try:
        engine = make_engine(url)
        with engine.connect() as connection:
            seeded = select(func.count()).select_from(Tweet).where(Tweet.id <= tweets)
            return connection.scalar(seeded) == tweets
    except Exception:
        return False


PICK_TYPICAL = """
WITH counts AS (SELECT follower_id, count(*) AS n FROM follows GROUP BY follower_id),
     posters AS (SELECT DISTINCT owner_id FROM tweets)
SELECT c.follower_id FROM counts c
WHERE c.n = (SELECT percentile_disc(0.5) WITHIN GROUP (ORDER BY n) FROM counts)
  AND EXISTS (SELECT 1 FROM follows f JOIN posters p ON p.owner_id = f.followee_id
              WHERE f.follower_id = c.follower_id)
ORDER BY c.follower_id LIMIT 100
"""
PICK_INACTIVE = """
SELECT f.follower_id FROM follows f GROUP BY f.follower_id
HAVING count(*) >= 5
   AND bool_and(NOT EXISTS (SELECT 1 FROM tweets t WHERE t.owner_id = f.followee_id))
   AND NOT EXISTS (SELECT 1 FROM tweets t WHERE t.owner_id = f.follower_id)
ORDER BY f.follower_id LIMIT 1
"""
PICK_POPULAR = """
SELECT u.username FROM users u JOIN follows f ON f.followee_id = u.id
GROUP BY u.id, u.username ORDER BY count(*) DESC, u.id LIMIT 1
"""


def actors(engine: Engine) -> Actors:
    with Session(engine) as session:
        return Actors(
            typical=_typical(session),
            inactive=session.scalar(text(PICK_INACTIVE)),
            profile=session.scalar(text(PICK_POPULAR)),
            writer=account(session, "bench_writer"),
            page50_before=session.scalar(
                select(Tweet.id).order_by(Tweet.id.desc()).offset(49 * 20 - 1).limit(1)
            )
            or 1,
            newest_tweet=session.scalar(select(func.max(Tweet.id))) or 0,
        )


def _typical(session: Session) -> int:
    """A user following the median number of accounts, whose home timeline fills two pages
    (so the page and the scroll fragment show 20 tweets at every data set size)."""
    candidates = list(session.scalars(text(PICK_TYPICAL)))
    for user_id in candidates:
        if len(timelines.home_timeline(session, user_id=user_id, limit=40).tweets) == 40:
            return int(user_id)
    raise RuntimeError("no typical user with two pages of home timeline; seed more tweets")


def account(session: Session, handle: str) -> int:
    """The id of one of the benchmark's own accounts (made the first time it is asked for)."""
    try:
        return crud.get_user_by_username(session, handle).id
    except crud.NotFound:
        email, password = f"{handle}@example.com", f"{handle}-password"
        return crud.create_user(session, email=email, password=password, username=handle).id


def session_cookie(engine: Engine, user_id: int) -> str:
    """A signed browser session cookie for the user (signed with the app's SECRET_KEY)."""
    with Session(engine) as session:
        token = crud.create_token(
            session, user_id=user_id, kind="session", max_age=timedelta(days=1)
        )
    return f"{sessions.COOKIE}={sessions.sign(token)}"


def bearer(engine: Engine, user_id: int) -> str:
    with Session(engine) as session:
        token = crud.create_token(session, user_id=user_id, kind="api", max_age=timedelta(days=1))
    return f"Bearer {token}"
