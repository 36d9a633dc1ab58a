"""Many clients at once: like counts stay exact on PostgreSQL, SQLite writers never see "locked"."""

import random
import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from webapp import crud
from webapp.db import SessionLocal
from webapp.models import Like, Tweet, User

THREADS = 8


def api_headers(session: Session, user: User) -> dict[str, str]:
    token = crud.create_token(session, user_id=user.id, kind="api", max_age=timedelta(hours=1))
    return {"Authorization": f"Bearer {token}"}


def run_threads(target: Callable[[int], None], count: int = THREADS) -> None:
    threads = [threading.Thread(target=target, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)


@pytest.mark.postgres_only
def test_likes_and_unlikes_at_once_keep_every_like_count_exact(session: Session, live_server: str):
    users = [make_user(session) for _ in range(THREADS)]
    author = make_user(session)
    tweet_ids = [make_tweet(session, author).id for _ in range(3)]
    headers = [api_headers(session, user) for user in users]
    statuses: Counter[int] = Counter()
    start = threading.Barrier(THREADS)

    def client(n: int) -> None:
        rng = random.Random(n)
        start.wait()
        with httpx.Client(base_url=live_server, timeout=30) as http, SessionLocal() as own:
            for _ in range(15):
                tweet_id = rng.choice(tweet_ids)
                body = {"tweet_id": tweet_id}
                url = f"/users/{users[n].id}/likes/"
                statuses[http.post(url, json=body, headers=headers[n]).status_code] += 1
                if rng.random() < 0.5:  # the web page's unlike goes through the same crud
                    crud.unlike(own, user_id=users[n].id, tweet_id=rng.choice(tweet_ids))

    run_threads(client)
    assert set(statuses) <= {200, 400}, statuses  # liked, or already liked: never a 5xx
    for tweet_id in tweet_ids:
        rows = session.scalar(select(func.count()).where(Like.tweet_id == tweet_id))
        tweet = session.get(Tweet, tweet_id, populate_existing=True)
        assert tweet is not None and tweet.like_count == rows


@pytest.mark.postgres_only
def test_a_double_like_sent_at_once_counts_once(session: Session, live_server: str):
    user, author = make_user(session), make_user(session)
    tweet_id = make_tweet(session, author).id
    headers = api_headers(session, user)
    statuses: list[int] = []
    start = threading.Barrier(THREADS)

    def client(_n: int) -> None:
        with httpx.Client(base_url=live_server, timeout=30) as http:
            start.wait()
            url = f"/users/{user.id}/likes/"
            statuses.append(
                http.post(url, json={"tweet_id": tweet_id}, headers=headers).status_code
            )

    run_threads(client)
    assert sorted(statuses) == [200] + [400] * (THREADS - 1)
    tweet = session.get(Tweet, tweet_id, populate_existing=True)
    assert tweet is not None and tweet.like_count == 1


def test_concurrent_writers_are_never_told_the_database_is_locked(
    session: Session, live_server: str
):
    """On SQLite, WAL and busy_timeout make writers queue; on PostgreSQL this simply holds."""
    users = [make_user(session) for _ in range(THREADS)]
    headers = [api_headers(session, user) for user in users]
    tweet_id = make_tweet(session, users[0]).id
    failures: list[str] = []
    start = threading.Barrier(THREADS)

    def writer(n: int) -> None:
        with httpx.Client(base_url=live_server, timeout=30) as http:
            start.wait()
            for i in range(10):
                url = f"/users/{users[n].id}/tweets/"
                posted = http.post(url, json={"text": f"tweet {i}"}, headers=headers[n])
                if posted.status_code != 200:
                    failures.append(posted.text)
            liked = http.post(
                f"/users/{users[n].id}/likes/", json={"tweet_id": tweet_id}, headers=headers[n]
            )
            if liked.status_code != 200:
                failures.append(liked.text)

    run_threads(writer)
    assert failures == []
    assert session.scalar(select(func.count()).select_from(Tweet)) == THREADS * 10 + 1
    tweet = session.get(Tweet, tweet_id, populate_existing=True)
    assert tweet is not None and tweet.like_count == THREADS
