"""Posting options (Mastodon's): a content warning, sensitive media, the language, the app
a post came from, and Idempotency-Key, so a client retrying a post does not post twice.

conversations.post applies PostOptions to the new row and records the app and the key in
the same transaction; `post_once` wraps a whole post for the Idempotency-Key check.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.crud.errors import DomainError
from webapp.models import (
    IDEMPOTENCY_KEY_MAX,
    SPOILER_MAX_CHARS,
    IdempotencyKey,
    OAuthApp,
    PostedWith,
    Tweet,
    utcnow,
)

IDEMPOTENCY_WINDOW = timedelta(hours=1)
# ISO 639-1: the two-letter codes Mastodon accepts for `language`.
_CODES = """aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu
    cv cy da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho
    hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv
    kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr
    nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq
    sr ss st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh
    yi yo za zh zu"""
LANGUAGES = frozenset(_CODES.split())


class InvalidOption(DomainError):
    message = "That posting option is not valid"


@dataclass(frozen=True)
class PostOptions:
    spoiler_text: str = ""
    sensitive: bool = False
    language: str | None = None
    app_id: int | None = None  # the OAuth app posting (None: the web page)
    idempotency_key: str | None = None


def options(
    *,
    spoiler_text: str = "",
    sensitive: bool = False,
    language: str | None = None,
    app_id: int | None = None,
    idempotency_key: str | None = None,
) -> PostOptions:
    """Checked options; a content warning makes the post sensitive, as on Mastodon."""
    spoiler_text = warning(spoiler_text)
    code = language.strip().lower() if language else None
    if code and code not in LANGUAGES:
        raise InvalidOption("Language must be a two-letter ISO 639-1 code, such as en or fr")
    key = idempotency_key.strip() if idempotency_key else None
    if key and (len(key) > IDEMPOTENCY_KEY_MAX or "\x00" in key):
        raise InvalidOption(f"Idempotency-Key must be at most {IDEMPOTENCY_KEY_MAX} characters")
    return PostOptions(spoiler_text, sensitive or bool(spoiler_text), code or None, app_id, key)


def warning(spoiler_text: str) -> str:
    """A content warning as kept (stripped), checked the same when posting and editing."""
    spoiler_text = spoiler_text.strip()
    if len(spoiler_text) > SPOILER_MAX_CHARS:
        raise InvalidOption(f"A content warning can have at most {SPOILER_MAX_CHARS} characters")
    if "\x00" in spoiler_text:
        raise InvalidOption("The content warning contains a character Chirp can't store")
    return spoiler_text


def apply(tweet: Tweet, chosen: PostOptions) -> None:
    tweet.spoiler_text, tweet.sensitive = chosen.spoiler_text, chosen.sensitive
    tweet.language = chosen.language


def record(session: Session, tweet: Tweet, chosen: PostOptions) -> None:
    """The app and the key beside the new post (flushed: a taken key raises here, before
    anything else of the post is written)."""
    if chosen.app_id is not None:
        session.add(PostedWith(tweet_id=tweet.id, app_id=chosen.app_id))
    if chosen.idempotency_key:
        key = IdempotencyKey(user_id=tweet.owner_id, key=chosen.idempotency_key, tweet_id=tweet.id)
        session.add(key)
    session.flush()


def post_once(
    session: Session, create: Callable[[], Tweet], *, user_id: int, key: str | None
) -> Tweet:
    """`create()` unless this key already made a post within the hour: then that post.
    Two requests racing with one key: the primary key lets one insert; the other rolls
    back its post and answers the winner's."""
    if not key:
        return create()
    earlier = _earlier(session, user_id, key)
    if earlier is not None:
        return earlier
    try:
        return create()
    except IntegrityError:
        session.rollback()
        earlier = _earlier(session, user_id, key)
        if earlier is None:
            raise
        return earlier


def _earlier(session: Session, user_id: int, key: str) -> Tweet | None:
    mine = (IdempotencyKey.user_id == user_id, IdempotencyKey.key == key)
    since = utcnow() - IDEMPOTENCY_WINDOW
    found = session.scalar(
        select(Tweet)
        .join(IdempotencyKey, IdempotencyKey.tweet_id == Tweet.id)
        .where(*mine, IdempotencyKey.created_at > since)
    )
    if found is None:  # an hour old or more: the key is free again
        session.execute(delete(IdempotencyKey).where(*mine))
        session.commit()
    return found


def applications(session: Session, tweet_ids: list[int]) -> dict[int, tuple[str, str | None]]:
    """The (name, website) of the app each of these posts came from: one query per page."""
    if not tweet_ids:
        return {}
    query = (
        select(PostedWith.tweet_id, OAuthApp.name, OAuthApp.website)
        .join(OAuthApp, OAuthApp.id == PostedWith.app_id)
        .where(PostedWith.tweet_id.in_(tweet_ids))
    )
    return {tweet_id: (name, website) for tweet_id, name, website in session.execute(query)}
