"""Tweet cards, rendered once and reused: the fragment cache behind every timeline.

A card's markup (the `tweet_card_markup` macro in partials/_tweet_macros.html) depends only
on a Card: the tweet's id, text, time, the age shown ("5m"), like count, its author's name
and handle, and whether the viewer liked it and wrote it. The Card is the cache key. The
one per-viewer value inside, the CSRF token of the like form, is left as a hole and filled
in per request. Nothing is ever invalidated: a new like count, a renamed author or an older
age makes another key, and cards nobody asks for any more age out of the LRU. The same
tweets reach many viewers and many page views, so most cards on a page are already
rendered (BENCHMARKS.md has the cost with and without).

Each worker process keeps its own cache of CARD_CACHE_SIZE cards (0 turns it off). While
templates reload (development), cards are always rendered fresh.
"""

from collections.abc import Container
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple

from markupsafe import Markup, escape

from webapp.config import settings
from webapp.media import storage
from webapp.media.summary import CardImage, card_images
from webapp.models import Tweet, User
from webapp.web.templating import relative, templates

# Stands in for the CSRF token while a card is rendered for the cache. Stored text never
# holds a NUL (input refuses it, PostgreSQL cannot store it), so only this makes one.
_HOLE = "\x00csrf\x00"


class Pictures(NamedTuple):
    """The author's avatar (None: the letter) and the post's images (issue 16)."""

    avatar_url: str | None
    images: tuple[CardImage, ...]


class Card(NamedTuple):
    id: int
    text: str
    created_at: datetime
    age: str
    like_count: int
    author_name: str
    author_username: str
    liked: bool
    own: bool
    pictures: Pictures = Pictures(None, ())


def _markup(card: Card, csrf: str) -> Markup:
    module = templates.env.get_template("partials/_tweet_macros.html").module
    markup: Markup = module.tweet_card_markup(card, csrf)  # type: ignore[attr-defined]
    return markup


@lru_cache(maxsize=settings.card_cache_size)
def _pieces(card: Card) -> tuple[str, ...]:
    """The card's markup split around the CSRF token."""
    return tuple(_markup(card, _HOLE).split(_HOLE))


def tweet_card(tweet: Tweet, liked: Container[int], user: User | None, csrf: str) -> Markup:
    """One tweet as this viewer sees it; `liked` holds the ids of tweets the viewer liked."""
    card = Card(
        id=tweet.id,
        text=tweet.text,
        created_at=tweet.created_at,
        age=relative(tweet.created_at),
        like_count=tweet.like_count,
        author_name=tweet.owner.name,
        author_username=tweet.owner.username,
        liked=tweet.id in liked,
        own=user is not None and user.id == tweet.owner_id,
        pictures=Pictures(storage.url(tweet.owner.avatar_key), card_images(tweet.media)),
    )
    if templates.env.auto_reload or not settings.card_cache_size:
        return _markup(card, csrf)
    return Markup(str(escape(csrf)).join(_pieces(card)))


templates.env.globals["tweet_card"] = tweet_card
