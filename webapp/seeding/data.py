"""A realistic data set, generated as plain row tuples (no ORM: a million rows must be cheap).

Shape: a fifth of the accounts never post; authorship and follower counts are skewed alike
(a few accounts post a lot and are followed by many, most post and are followed little);
about one user in fifty is silent and follows only silent accounts, so their home timeline
is empty however big the table is; likes lean to newer tweets and each tweet's like_count
equals its like rows; created_at grows with the id over the past year.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import accumulate

VOCABULARY = (
    "coffee morning release python postgres htmx timeline garden bike rain train music "
    "weekend deploy bug fix tea book walk city river cat dog code sunset lunch idea "
    "meeting travel photo ship build test cache index query latency chart launch"
)
WORDS = VOCABULARY.split()
# One tweet in four also carries a topical #tag, the popular ones far more often (Zipf-like).
TOPICS = WORDS[:24]
SPAN = timedelta(days=365)


@dataclass
class DataSet:
    users: int
    tweets: int
    likes: int
    rng: random.Random
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    silent: list[int] = field(init=False)  # user ids that never post
    active: list[int] = field(init=False)  # the others, most popular first
    inactive_followers: list[int] = field(init=False)  # silent, and follow only silent accounts

    def __post_init__(self) -> None:
        ids = list(range(1, self.users + 1))
        self.rng.shuffle(ids)
        cut = max(1, self.users // 5)
        self.silent, self.active = sorted(ids[:cut]), ids[cut:]
        self.inactive_followers = sorted(self.rng.sample(self.silent, max(1, self.users // 50)))

    def _skewed(self, power: float) -> list[float]:
        """Cumulative Zipf-like weights over `active`, in its (random) popularity order."""
        return list(accumulate(1 / rank**power for rank in range(1, len(self.active) + 1)))


def user_rows(data: DataSet, password_hash: str) -> Iterator[tuple[object, ...]]:
    start = data.now - SPAN - timedelta(days=30)
    for uid in range(1, data.users + 1):
        email = f"user{uid}@example.com"
        created = start + timedelta(minutes=data.rng.randrange(30 * 24 * 60))
        yield (uid, email, email, f"user{uid}", f"User {uid}", "", password_hash, created)


def follow_rows(data: DataSet) -> Iterator[tuple[object, ...]]:
    popular = data._skewed(1.0)
    inactive = set(data.inactive_followers)
    for uid in range(1, data.users + 1):
        if uid in inactive:
            k = min(len(data.silent), data.rng.randint(5, 30))
            followees = set(data.rng.sample(data.silent, k))
        else:
            k = min(500, int(data.rng.lognormvariate(3.0, 1.0)) + 1)
            followees = set(data.rng.choices(data.active, cum_weights=popular, k=k))
        followees.discard(uid)
        now = data.now
        for followee in sorted(followees):
            yield (uid, followee, now - timedelta(minutes=data.rng.randrange(500_000)))


def like_pairs(data: DataSet) -> tuple[list[tuple[int, int]], list[int]]:
    """(user, tweet) pairs, unique, leaning to newer tweets; and like_count per tweet id."""
    counts = [0] * (data.tweets + 1)
    pairs: set[tuple[int, int]] = set()
    rand, randint, n = data.rng.random, data.rng.randint, data.tweets
    while len(pairs) < data.likes:
        pair = (randint(1, data.users), 1 + int(n * rand() ** 0.5) % n)
        if pair not in pairs:
            pairs.add(pair)
            counts[pair[1]] += 1
    return sorted(pairs, key=lambda p: p[1]), counts


def tweet_rows(data: DataSet, like_counts: list[int]) -> Iterator[tuple[object, ...]]:
    texts = [" ".join(data.rng.choices(WORDS, k=data.rng.randint(3, 14))) for _ in range(4096)]
    weights = data._skewed(0.8)
    authors = data.rng.choices(data.active, cum_weights=weights, k=data.tweets)
    start, step = data.now - SPAN, SPAN / max(1, data.tweets)
    topics = list(accumulate(1 / rank for rank in range(1, len(TOPICS) + 1)))
    tags = data.rng.choices(TOPICS, cum_weights=topics, k=data.tweets)
    for i, owner in enumerate(authors, start=1):
        topic = f" #{tags[i - 1]}" if i % 4 == 0 else ""
        yield (i, owner, f"{texts[i & 4095]} #{i}{topic}", like_counts[i], start + step * i)


def like_rows(data: DataSet, pairs: list[tuple[int, int]]) -> Iterator[tuple[object, ...]]:
    start, step = data.now - SPAN, SPAN / max(1, data.tweets)
    for i, (user, tweet) in enumerate(pairs, start=1):
        yield (i, user, tweet, start + step * tweet + timedelta(minutes=1))
