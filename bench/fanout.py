"""How long a post takes to reach every follower's home feed (issue 18).

The app is served as in bench/run (uvicorn, two worker processes, each running the job
queue's worker in its event loop: JOBS_IN_APP). The bench posts as star_5k (5,000 followers
with kept feeds, bench/feeds.py) through the crud layer, which commits the post and its
fan-out job together, then polls home_feed until all 5,000 rows are there.
"""

import statistics
import time

from sqlalchemy import text
from sqlalchemy.orm import Session

from bench.drive import HERE, start_server, stop_server
from bench.feeds import FOLLOWERS
from webapp.crud import conversations
from webapp.db import make_engine

POSTS = 20


def drain(url: str, timeout: float = 600) -> float:
    """Wait until the job queue is empty; seconds it took."""
    engine = make_engine(url, statement_timeout_ms=0)
    started = time.monotonic()
    waiting = "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
    with engine.connect() as connection:
        while connection.scalar(text(waiting)) and time.monotonic() - started < timeout:
            connection.commit()
            time.sleep(0.2)
    engine.dispose()
    return time.monotonic() - started


def measure(url: str, port: int) -> str:
    env = {"DATABASE_URL": url, "ENVIRONMENT": "production", "RATE_LIMITS_ENABLED": "false"}
    server = start_server(
        "webapp.main:app", port=port, workers=2, env=env, log=HERE / "out" / "fanout.log"
    )
    engine = make_engine(url, statement_timeout_ms=0)
    took: list[float] = []
    try:
        time.sleep(2)  # the workers LISTEN once their app has started
        with Session(engine) as session:
            star = int(session.scalar(text("SELECT id FROM users WHERE username = 'star_5k'")) or 0)
            for i in range(POSTS):
                tweet = conversations.post(session, owner_id=star, text=f"fan-out probe {i}")
                started = time.monotonic()
                count = text("SELECT count(*) FROM home_feed WHERE tweet_id = :t")
                while (session.scalar(count, {"t": tweet.id}) or 0) < FOLLOWERS:
                    session.commit()
                    time.sleep(0.005)
                took.append(time.monotonic() - started)
                time.sleep(0.2)
    finally:
        engine.dispose()
        stop_server(server)
    ms = sorted(1000 * t for t in took)
    return (
        f"Fan-out ({POSTS} posts by star_5k, 5,000 followers with kept feeds; two app processes, "
        f"each with its queue worker): commit to the last follower's row p50 "
        f"{statistics.median(ms):.0f} ms, max {ms[-1]:.0f} ms."
    )
