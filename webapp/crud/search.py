"""Search: posts (full text, two engines behind one function), people (prefix as you type).

Query syntax, as people know it from Twitter: words (all must appear), "a phrase",
-exclude (a word or "a phrase"), from:handle. Words are what the search index holds: runs of
letters and digits, lower-cased; `#tag` and `@name` search the word itself.

Ranking: relevance within recency. Matches are read newest first in windows of WINDOW posts;
each window is shown best match first (rank, then newest). The cursor names the window and
the last (score, id) shown, so every page is a bounded keyset read and paging never skips
or repeats a post, however many millions match.

PostgreSQL reads tweets.search_vector (a generated tsvector with a GIN index) with
websearch_to_tsquery and ts_rank; SQLite reads the FTS5 table tweets_fts with MATCH and bm25.
Both tokenize alike ('simple' / unicode61 without diacritics removal), so they find the same
posts for a query; their scores differ in scale, not in what they find.
"""

import re
import time
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    cast,
    column,
    func,
    literal_column,
    or_,
    select,
    table,
    text,
    tuple_,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import Subquery

from webapp.crud.hydrate import Page, cards, paged
from webapp.crud.tags import _like_prefix
from webapp.crud.timelines import PAGE_SIZE
from webapp.crud.users import listed
from webapp.crud.visibility import not_blocked, not_muted, publicly_listed, visible_to
from webapp.models import Follow, Tweet, User

# Newest matches ranked together; bounds each page's work for words found in every post.
WINDOW = 500
# A phrase of common words is rare as a phrase: finding 500 of them means testing ~100k posts
# at 1M, so phrases rank smaller windows (bench/search.py: p50 ~100 ms at 500, ~10 ms here).
PHRASE_WINDOW = 100
# At most this many terms count (the rest are ignored): bounds the statement's size.
MAX_TERMS = 16
# Scores are stored as integers so a cursor survives a round trip through a URL exactly.
SCORE_SCALE = 1_000_000

_PART = re.compile(r'(-?)(?:"([^"]*)"?|(\S+))')
_WORD = re.compile(r"[^\W_]+")
_HANDLE = re.compile(r"[a-z0-9_]{1,30}")


@dataclass(frozen=True)
class Query:
    """A parsed search: each term is a list of words that must appear in that order."""

    terms: list[list[str]] = field(default_factory=list)
    excluded: list[list[str]] = field(default_factory=list)
    from_handle: str | None = None

    @property
    def empty(self) -> bool:
        return not self.terms and self.from_handle is None


def parse(text: str) -> Query:
    """`coffee "pour over" -decaf from:ada` -> terms, exclusions and an author."""
    query = Query()
    handle = None
    for match in _PART.finditer(text.lower()):
        negated, quoted, bare = match.group(1), match.group(2), match.group(3)
        if bare is not None and bare.startswith("from:") and not negated:
            handle = bare[5:].lstrip("@") or handle
            if handle and not _HANDLE.fullmatch(handle):
                handle = ""  # no one has this handle: the search finds nothing
            continue
        words = _WORD.findall(quoted if quoted is not None else bare)
        target = query.excluded if negated else query.terms
        if words and len(query.terms) + len(query.excluded) < MAX_TERMS:
            target.append(words)
    return Query(query.terms, query.excluded, handle)


@dataclass(frozen=True)
class Cursor:
    """Where the next page starts: a window (ids below `top`) and, inside it, the last
    (score, id) shown. Written into URLs as `top.score.id`, or `top` for a fresh window."""

    top: int | None = None
    score: int | None = None
    id: int | None = None

    def __str__(self) -> str:
        if self.score is None or self.id is None:
            return str(self.top)
        return f"{self.top or 0}.{self.score}.{self.id}"

    @classmethod
    def parse(cls, text: str | None) -> "Cursor":
        """A cursor from a URL; anything malformed starts from the top (never an error)."""
        parts = (text or "").split(".")
        if not all(re.fullmatch(r"-?\d{1,19}", part) for part in parts) or len(parts) not in (1, 3):
            return cls()
        numbers = [int(part) for part in parts]
        if any(abs(number) >= 2**62 for number in numbers):  # no id or score is this big
            return cls()
        top = numbers[0] if numbers[0] > 0 else None
        return cls(top) if len(numbers) == 1 else cls(top, numbers[1], numbers[2])


@dataclass(frozen=True)
class Results:
    # The posts found, with what their cards show (webapp/crud/hydrate.py).
    page: Page
    # Pass back as `cursor` for the next page; None when there is nothing more.
    next: Cursor | None

    @property
    def tweets(self) -> list[Tweet]:
        return self.page.tweets


def search_posts(
    session: Session,
    *,
    q: str,
    viewer_id: int | None = None,
    cursor: Cursor | None = None,
    limit: int = PAGE_SIZE,
    author_id: int | None = None,
) -> Results:
    """Posts matching q that the viewer may see, best first within recency windows;
    `author_id` keeps one author's (as from: does, by id)."""
    query = parse(q)
    if not query.terms and query.from_handle is None and author_id is None:
        return Results(Page([], None), None)
    cursor = cursor or Cursor()
    window = _window(session, query, viewer_id, cursor.top, author_id)
    found = (
        select(Tweet)
        .join(window, window.c.id == Tweet.id)
        .order_by(window.c.score.desc(), Tweet.id.desc())
        .limit(limit + 1)
    )
    if cursor.score is not None and cursor.id is not None:
        found = found.where(tuple_(window.c.score, Tweet.id) < tuple_(cursor.score, cursor.id))
    rows = session.execute(
        cards(found, viewer_id).add_columns(window.c.score, window.c.floor, window.c.n)
    ).all()
    return _results(rows, limit, cursor, _window_size(query))


def _window_size(query: Query) -> int:
    return PHRASE_WINDOW if any(len(words) > 1 for words in query.terms) else WINDOW


def _results(rows: Sequence[Any], limit: int, cursor: Cursor, size: int) -> Results:
    """Each row is a card's columns (hydrate.cards) then the window's score, floor and n."""
    page = replace(paged((row[:-3] for row in rows), limit), next_before=None)
    if len(rows) > limit:  # more in this window
        last = rows[limit - 1]
        return Results(page, Cursor(cursor.top, last[-3], last[0].id))
    full_window = bool(rows) and rows[0][-1] >= size
    return Results(page, Cursor(rows[0][-2]) if full_window else None)


def _window(
    session: Session, query: Query, viewer_id: int | None, top: int | None, author_id: int | None
) -> Subquery:
    """The newest WINDOW matches below `top`, each with its score, the window's lowest id
    (`floor`, where the next window starts) and its size `n`."""
    postgres = session.get_bind().dialect.name == "postgresql"
    matches = _postgres_matches(query) if postgres else _sqlite_matches(query)
    matches = matches.where(publicly_listed(), visible_to(viewer_id), not_muted(viewer_id))
    if query.from_handle is not None:
        author = select(User.id).where(User.username == query.from_handle).scalar_subquery()
        matches = matches.where(Tweet.owner_id == author)
    if author_id is not None:
        matches = matches.where(Tweet.owner_id == author_id)
    if top is not None:
        matches = matches.where(Tweet.id < top)
    size = _window_size(query)
    if postgres and not _all_common(session, query):
        # A rare word: read all its matches through the GIN index first (few, by definition),
        # then take the newest. Left to itself the planner walks the id index backwards
        # testing every row, which for a word it cannot tell is rare means the whole table.
        found = matches.cte("matches").prefix_with("MATERIALIZED")
        newest = select(found).order_by(found.c.id.desc()).limit(size).subquery("newest")
    else:
        newest = matches.order_by(Tweet.id.desc()).limit(size).subquery("newest")
    framed = select(
        newest.c.id,
        newest.c.score,
        func.min(newest.c.id).over().label("floor"),
        func.count().over().label("n"),
    )
    return framed.subquery("window")


def _postgres_matches(query: Query) -> Select[int, int]:
    if not query.terms:
        return select(Tweet.id, cast(0, Integer).label("score"))
    vector: ColumnElement[object] = literal_column("tweets.search_vector")
    tsquery = func.websearch_to_tsquery(literal_column("'simple'::regconfig"), _websearch(query))
    score = cast(func.ts_rank(vector, tsquery) * SCORE_SCALE, Integer)
    return select(Tweet.id, score.label("score")).where(vector.op("@@")(tsquery))


# PostgreSQL's own statistics name the common words (pg_stats.most_common_elems of the
# tsvector): read once per process every COMMON_TTL seconds, not per search.
COMMON_TTL = 600.0
_common: tuple[float, frozenset[str]] = (-COMMON_TTL, frozenset())
_COMMON_SQL = text(
    "SELECT most_common_elems::text::text[] FROM pg_stats"
    " WHERE tablename = 'tweets' AND attname = 'search_vector'"
)


def common_words(session: Session) -> frozenset[str]:
    global _common
    if time.monotonic() - _common[0] >= COMMON_TTL:
        words = session.scalar(_COMMON_SQL) or []
        _common = (time.monotonic(), frozenset(words))
    return _common[1]


def _all_common(session: Session, query: Query) -> bool:
    """Whether every word looked for is common: then the newest matches are found by walking
    the id index backwards (a few rows per match). One rare word makes the whole AND rare."""
    common = common_words(session)
    return bool(query.terms) and all(w in common for words in query.terms for w in words)


def _websearch(query: Query) -> str:
    """websearch_to_tsquery's syntax: every term quoted, so `or` is a word, not an operator."""
    wanted = [f'"{" ".join(words)}"' for words in query.terms]
    unwanted = [f'-"{" ".join(words)}"' for words in query.excluded]
    return " ".join(wanted + unwanted)


_FTS = table("tweets_fts", column("rowid", Integer))


def _sqlite_matches(query: Query) -> Select[int, int]:
    if not query.terms:
        return select(Tweet.id, cast(0, Integer).label("score"))
    fts: ColumnElement[object] = literal_column("tweets_fts")
    # bm25 is smaller for better matches; negated, a bigger score is better on both engines.
    score = cast(-func.bm25(fts) * SCORE_SCALE, Integer)
    return (
        select(Tweet.id, score.label("score"))
        .select_from(Tweet)
        .join(_FTS, _FTS.c.rowid == Tweet.id)
        .where(fts.op("MATCH")(_fts5(query)))
    )


def _fts5(query: Query) -> str:
    """FTS5's syntax: quoted phrases (only letters and digits inside), AND, then NOT."""
    expression = " AND ".join(f'"{" ".join(words)}"' for words in query.terms)
    for words in query.excluded:
        expression += f' NOT "{" ".join(words)}"'
    return expression


@dataclass(frozen=True)
class People:
    users: list[User]
    # Pass as `after` for the next page; None on the last page.
    next_after: str | None


def search_people(
    session: Session,
    *,
    q: str,
    after: str | None = None,
    limit: int = PAGE_SIZE,
    followed_by: int | None = None,
    viewer_id: int | None = None,
) -> People:
    """People whose handle or display name starts with q (an @ is ignored), by handle,
    keyset-paged by the last handle seen; with followed_by, only people that user follows.
    Nobody the viewer blocked or is blocked by.
    Each side of the OR is a prefix range on its own index."""
    prefix = q.strip().lstrip("@").split("@")[0].lower()
    if not prefix or "\x00" in prefix:  # no name holds a NUL (and PostgreSQL refuses one)
        return People([], None)
    pattern = _like_prefix(prefix)
    query = select(User).where(
        listed(),
        not_blocked(viewer_id),
        or_(
            User.username.like(pattern, escape="\\"),
            func.lower(User.display_name).like(pattern, escape="\\"),
        ),
    )
    if after is not None and "\x00" not in after:
        query = query.where(User.username > after)
    if followed_by is not None:
        followees = select(Follow.followee_id).where(Follow.follower_id == followed_by)
        query = query.where(User.id.in_(followees))
    rows = list(session.scalars(query.order_by(User.username).limit(limit + 1)))
    users = rows[:limit]
    return People(users, users[-1].username if len(rows) > limit else None)
