"""Your data as a zip: posts, likes, follows and profile as JSON, and who you follow in the
CSV that Mastodon's import page takes ("Following list").

The archive is written into a spooled temporary file and rows are read in batches, so a
large account costs disk, not memory.
"""

import csv
import io
import json
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from tempfile import SpooledTemporaryFile
from typing import IO, Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from webapp.crud.users import get_user
from webapp.models import Follow, Like, Tweet, User

BATCH = 1000  # rows read at a time
README = """Your Chirp archive, made {made}.

account.json            your profile
posts.json              your posts, oldest first
likes.json              the posts you liked
following.json          the people you follow
followers.json          the people who follow you
following_accounts.csv  who you follow, for Mastodon: Preferences > Import and export > Import,
                        type "Following list"
"""


def _iso(moment: datetime) -> str:
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def write_archive(session: Session, *, user_id: int, base_url: str, domain: str) -> IO[bytes]:
    """The zip, rewound, ready to stream. `base_url` ends with '/'; `domain` is this server's."""
    user = get_user(session, user_id)
    spool: IO[bytes] = SpooledTemporaryFile(max_size=8 * 2**20)  # noqa: SIM115 (returned)
    with zipfile.ZipFile(spool, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("README.txt", README.format(made=_iso(datetime.now(UTC))))
        archive.writestr("account.json", json.dumps(_account(user, base_url), indent=2))
        _write_json_list(archive, "posts.json", _posts(session, user_id, base_url))
        _write_json_list(archive, "likes.json", _likes(session, user_id, base_url))
        # Follow lists are bounded by the people one follows: small enough to hold.
        following = list(_people(session, Follow.followee_id, Follow.follower_id == user_id))
        followers = _people(session, Follow.follower_id, Follow.followee_id == user_id)
        _write_json_list(archive, "following.json", _handles(iter(following), base_url))
        _write_json_list(archive, "followers.json", _handles(followers, base_url))
        archive.writestr("following_accounts.csv", _mastodon_csv(iter(following), domain))
    spool.seek(0)
    return spool


def _account(user: User, base_url: str) -> dict[str, Any]:
    return {
        "username": user.username,
        "display_name": user.display_name,
        "bio": user.bio,
        "email": user.email,
        "created_at": _iso(user.created_at),
        "url": f"{base_url}@{user.username}",
    }


def _write_json_list(archive: zipfile.ZipFile, name: str, items: Iterator[dict[str, Any]]) -> None:
    """A JSON array written item by item, never held whole in memory."""
    with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8") as out:
        out.write("[")
        for n, item in enumerate(items):
            out.write(",\n  " if n else "\n  ")
            out.write(json.dumps(item, ensure_ascii=False))
        out.write("\n]\n")


def _batched(session: Session, query: Select[*tuple[Any, ...]], key: Any) -> Iterator[Any]:
    """Rows in batches by keyset on `key` (selected as `key`): works in the autocommit reads
    of GET requests, where a server-side cursor cannot."""
    last = None
    while True:
        page = query.add_columns(key.label("key")).order_by(key).limit(BATCH)
        rows = session.execute(page if last is None else page.where(key > last)).all()
        yield from rows
        if len(rows) < BATCH:
            return
        last = rows[-1].key


def _posts(session: Session, user_id: int, base_url: str) -> Iterator[dict[str, Any]]:
    query = select(Tweet.id, Tweet.text, Tweet.created_at, Tweet.like_count)
    for row in _batched(session, query.where(Tweet.owner_id == user_id), Tweet.id):
        yield {
            "id": row.id,
            "text": row.text,
            "created_at": _iso(row.created_at),
            "likes": row.like_count,
            "url": f"{base_url}t/{row.id}",
        }


def _likes(session: Session, user_id: int, base_url: str) -> Iterator[dict[str, Any]]:
    query = select(Like.tweet_id, Like.created_at).where(Like.owner_id == user_id)
    for row in _batched(session, query, Like.id):
        url = f"{base_url}t/{row.tweet_id}"
        yield {"tweet_id": row.tweet_id, "liked_at": _iso(row.created_at), "url": url}


def _people(session: Session, other: Any, mine: Any) -> Iterator[str]:
    query = select(User.username).join(Follow, other == User.id).where(mine)
    for row in _batched(session, query, User.username):
        yield row.username


def _handles(usernames: Iterator[str], base_url: str) -> Iterator[dict[str, Any]]:
    for name in usernames:
        yield {"username": name, "url": f"{base_url}@{name}"}


def _mastodon_csv(usernames: Iterator[str], domain: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["Account address", "Show boosts", "Notify on new posts", "Languages"])
    for name in usernames:
        writer.writerow([f"{name}@{domain}", "true", "false", ""])
    return out.getvalue()
