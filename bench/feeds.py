"""Issue 18's follow graphs, added beside a seeded data set: people following 10, 1,000,
5,000 and 10,000 accounts, half of them active (the seed's busiest posters) or all of them
quiet (10,000 extra accounts with one post each), and a writer with 5,000 followers whose
feeds are kept, so each of its posts fans out to 5,000 feeds (by the job queue).

`prepare(engine)` adds them once (idempotent) and (re)builds the home feeds of everyone the
bench reads as, so every read row measures a kept feed; ANALYZE after, so the planner knows
home_feed's size.
"""

from dataclasses import dataclass

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from webapp.crud import feeds, post_counts, timelines
from webapp.models import User

SHAPES = (10, 1_000, 5_000, 10_000)
QUIET = 10_000
FOLLOWERS = 5_000
PASSWORD_HASH = "!bench"  # nobody logs in with a password: the bench signs session cookies


@dataclass(frozen=True)
class Shape:
    name: str  # e.g. "1,000, half active"
    user_id: int
    page50_before: int | None  # cursor of page 50 of their home, None when shorter


def prepare(engine: Engine) -> tuple[list[Shape], int]:
    """The follow-shape readers and the 5,000-follower writer's id."""
    with Session(engine) as session:
        if not session.scalar(text("SELECT 1 FROM users WHERE username = 'quiet_1'")):
            _add_accounts(session)
        readers = _readers(session)
        writer = int(session.scalar(text("SELECT id FROM users WHERE username = 'star_5k'")) or 0)
        for user_id in [r.user_id for r in readers]:
            feeds.rebuild(session, user_id)
        session.execute(text("ANALYZE home_feed"))
        session.commit()
        shapes = [with_page50_cursor(session, r) for r in readers]
    return shapes, writer


def _add_accounts(session: Session) -> None:
    """Quiet accounts (one post each), the shape readers and the writer, in a few statements."""
    base = int(session.scalar(text("SELECT max(id) FROM users")) or 0)
    session.execute(
        text(
            "INSERT INTO users (email, email_key, username, hashed_password, created_at) "
            "SELECT 'quiet_' || n || '@example.com', 'quiet_' || n || '@example.com', "
            "'quiet_' || n, :h, now() FROM generate_series(1, :q) n"
        ),
        {"h": PASSWORD_HASH, "q": QUIET},
    )
    session.execute(
        text(
            "INSERT INTO tweets (owner_id, text, visibility, created_at) "
            "SELECT id, 'a quiet post', 'public', now() FROM users WHERE username LIKE 'quiet\\_%'"
        )
    )
    post_counts.recount_posts(session, only=User.id > base)  # their posts went in as SQL
    names = [f"follows_{n}_{kind}" for n in SHAPES for kind in ("active", "quiet")]
    for name in [*names, "star_5k"]:
        session.execute(
            text(
                "INSERT INTO users (email, email_key, username, hashed_password, created_at, "
                "feed_floor) VALUES (:e, :e, :u, :h, now(), 0)"
            ),
            {"e": f"{name}@example.com", "u": name, "h": PASSWORD_HASH},
        )
    for n in SHAPES:
        _follow(session, f"follows_{n}_active", active=n // 2, quiet=n - n // 2)
        _follow(session, f"follows_{n}_quiet", active=0, quiet=n)
    # The writer's 5,000 followers: quiet accounts whose feeds are kept (floor at the newest
    # post: exact and empty, nothing to build), so every post of its fans out to 5,000 feeds.
    session.execute(
        text(
            "INSERT INTO follows (follower_id, followee_id, created_at) "
            "SELECT q.id, (SELECT id FROM users WHERE username = 'star_5k'), now() FROM users q "
            "WHERE q.username LIKE 'quiet\\_%' ORDER BY q.id LIMIT :n"
        ),
        {"n": FOLLOWERS},
    )
    session.execute(
        text(
            "UPDATE users SET feed_floor = (SELECT max(id) FROM tweets) WHERE id IN "
            "(SELECT follower_id FROM follows WHERE followee_id = "
            "(SELECT id FROM users WHERE username = 'star_5k'))"
        )
    )
    session.commit()
    print(
        f"added {QUIET:,} quiet accounts, {len(names)} follow-shape readers, star_5k (base {base})"
    )


def _follow(session: Session, name: str, *, active: int, quiet: int) -> None:
    """`name` follows the `active` busiest posters and `quiet` quiet accounts."""
    me = "(SELECT id FROM users WHERE username = :me)"
    session.execute(
        text(
            f"INSERT INTO follows (follower_id, followee_id, created_at) SELECT {me}, owner_id, "
            "now() FROM (SELECT owner_id FROM tweets GROUP BY owner_id "
            "ORDER BY count(*) DESC LIMIT :a) busiest"
        ),
        {"me": name, "a": active},
    )
    session.execute(
        text(
            f"INSERT INTO follows (follower_id, followee_id, created_at) SELECT {me}, q.id, now() "
            "FROM users q WHERE q.username LIKE 'quiet\\_%' ORDER BY q.id LIMIT :q"
        ),
        {"me": name, "q": quiet},
    )


def _readers(session: Session) -> list[Shape]:
    readers = []
    for n in SHAPES:
        for kind, label in (("active", "half active"), ("quiet", "all quiet")):
            user_id = session.scalar(
                text("SELECT id FROM users WHERE username = :u"), {"u": f"follows_{n}_{kind}"}
            )
            readers.append(Shape(f"{n:,}, {label}", int(user_id or 0), None))
    return readers


def with_page50_cursor(session: Session, shape: Shape) -> Shape:
    """The cursor of page 50 of this reader's home (walked as a browser would)."""
    user = session.get(User, shape.user_id)  # the feed's floor, as a request has it
    before = None
    for _ in range(49):
        page = timelines.home_timeline(session, user_id=shape.user_id, before=before)
        if page.next_before is None or user is None:
            return shape
        before = page.next_before
    return Shape(shape.name, shape.user_id, before)
