"""A realistic data set, generated as plain row tuples (no ORM: a million rows must be cheap).

Shape: a fifth of the accounts never post; authorship and follower counts are skewed alike
(a few accounts post a lot and are followed by many, most post and are followed little);
about one user in fifty is silent and follows only silent accounts, so their home timeline
is empty however big the table is; likes lean to newer tweets and each tweet's like_count
equals its like rows; created_at grows with the id over the past year. Conversations: about
one post in seven answers a recent one, one in twenty is a repost of a recent open post, and
a sixth are unlisted, followers-only or direct; reply and repost counts match their rows.
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


VISIBILITY_WEIGHTS = {"public": 83, "unlisted": 5, "private": 10, "direct": 2}
REPLY_SHARE, REPOST_SHARE = 0.14, 0.05


@dataclass
class Conversations:
    """Per tweet id (index 0 unused): its parent or original (0 for none), its visibility,
    and the counts its replies and reposts add up to."""

    parent: list[int]
    original: list[int]
    visibility: list[str]
    replies: list[int]
    reposts: list[int]


def conversations(data: DataSet, authors: list[int]) -> Conversations:
    n, rng = data.tweets, data.rng
    plan = Conversations(
        [0] * (n + 1), [0] * (n + 1), ["public"] * (n + 1), [0] * (n + 1), [0] * (n + 1)
    )
    kinds, weights = list(VISIBILITY_WEIGHTS), list(VISIBILITY_WEIGHTS.values())
    reposted: set[tuple[int, int]] = set()
    for i in range(2, n + 1):
        recent = i - 1 - int(rng.random() ** 2 * min(i - 2, 5000))  # leans to the newest
        owner, roll = authors[i - 1], rng.random()
        open_post = plan.visibility[recent] in ("public", "unlisted") and not plan.original[recent]
        if roll < REPOST_SHARE and open_post and (recent, owner) not in reposted:
            reposted.add((recent, owner))
            plan.original[i], plan.visibility[i] = recent, plan.visibility[recent]
            plan.reposts[recent] += 1
            continue
        plan.visibility[i] = rng.choices(kinds, weights)[0]
        if roll > 1 - REPLY_SHARE and not plan.original[recent]:
            plan.parent[i] = recent
            plan.replies[recent] += plan.visibility[i] in ("public", "unlisted")
    return plan


def tweet_authors(data: DataSet) -> tuple[list[int], Conversations]:
    """Who writes each tweet (skewed), and the conversations among them."""
    weights = data._skewed(0.8)
    authors = data.rng.choices(data.active, cum_weights=weights, k=data.tweets)
    return authors, conversations(data, authors)


def tweet_rows(
    data: DataSet, like_counts: list[int], authors: list[int], plan: Conversations
) -> Iterator[tuple[object, ...]]:
    texts = [" ".join(data.rng.choices(WORDS, k=data.rng.randint(3, 14))) for _ in range(4096)]
    start, step = data.now - SPAN, SPAN / max(1, data.tweets)
    topics = list(accumulate(1 / rank for rank in range(1, len(TOPICS) + 1)))
    tags = data.rng.choices(TOPICS, cum_weights=topics, k=data.tweets)
    for i, owner in enumerate(authors, start=1):
        parent, original = plan.parent[i] or None, plan.original[i] or None
        topic = f" #{tags[i - 1]}" if i % 4 == 0 else ""
        text = "" if original else f"{texts[i & 4095]} #{i}{topic}"
        reply_to = authors[parent - 1] if parent else None
        text = f"@user{reply_to} {text}" if reply_to else text
        yield (
            i, owner, text, like_counts[i], start + step * i, parent, reply_to,
            plan.replies[i], original, plan.reposts[i], plan.visibility[i],
        )  # fmt: skip


def mention_rows(authors: list[int], plan: Conversations) -> Iterator[tuple[object, ...]]:
    """A reply mentions the author it answers (its text starts with their @handle)."""
    for i, parent in enumerate(plan.parent):
        if parent:
            yield (i, authors[parent - 1])


def like_rows(data: DataSet, pairs: list[tuple[int, int]]) -> Iterator[tuple[object, ...]]:
    start, step = data.now - SPAN, SPAN / max(1, data.tweets)
    for i, (user, tweet) in enumerate(pairs, start=1):
        yield (i, user, tweet, start + step * tweet + timedelta(minutes=1))
