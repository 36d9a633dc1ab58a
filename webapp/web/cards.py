"""Tweet cards, rendered once and reused: the fragment cache behind every timeline.

A card's markup (the `tweet_card_markup` macro in partials/_tweet_macros.html) depends only
on a Card: the post's id, text, time, the age shown ("5m"), counts, its author's name and
handle, whether the viewer liked, reposted and wrote it, its visibility, the handle it
replies to, who reposted it (on a repost), the quoted post as this viewer may see it,
which @handles in it belong to someone, whether it was edited, and its poll as this viewer
sees it (the options they chose, the time left). The Card is the cache key: two viewers share a card
only when they see exactly the same thing, so a hidden quoted post never leaks through it. The
one per-viewer value inside, the CSRF token of the like form, is left as a hole and filled
in per request. Nothing is ever invalidated: a new like count, a renamed author or an older
age makes another key, and cards nobody asks for any more age out of the LRU. The same
tweets reach many viewers and many page views, so most cards on a page are already
rendered (BENCHMARKS.md has the cost with and without).

Each worker process keeps its own cache of CARD_CACHE_SIZE cards (0 turns it off). While
templates reload (development), cards are always rendered fresh.
"""

from collections.abc import Container, Iterable
from datetime import datetime
from functools import lru_cache
from typing import Any, NamedTuple

from markupsafe import Markup, escape

from webapp.config import settings
from webapp.crud.hydrate import Page, shown
from webapp.crud.polls import PollView
from webapp.crud.visibility import REPOSTABLE
from webapp.media import storage
from webapp.media.summary import CardImage, card_images
from webapp.models import Tweet, User, utcnow
from webapp.web.templating import relative, templates

# Stands in for the CSRF token while a card is rendered for the cache. Stored text never
# holds a NUL (input refuses it, PostgreSQL cannot store it), so only this makes one.
_HOLE = "\x00csrf\x00"


class Quoted(NamedTuple):
    """The post a quote embeds; `id` alone (no author) when the viewer may not see it."""

    id: int
    text: str = ""
    author_name: str = ""
    author_username: str = ""
    created_at: datetime | None = None
    age: str = ""


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
    reply_count: int = 0
    repost_count: int = 0
    reposted: bool = False
    visibility: str = "public"
    reply_to: str | None = None  # the handle this post answers
    reposter_name: str | None = None  # on a repost: who reposted it
    reposter_username: str | None = None
    quoted: Quoted | None = None
    mentions: frozenset[str] = frozenset()  # the @handles that link to someone
    repostable: bool = True
    # The author's avatar and the post's images (issue 16).
    pictures: Pictures = Pictures(None, ())
    edited: bool = False  # links to the post's history (issue 19)
    poll: "PollCard | None" = None

    # Extras: saved by the viewer; pinned by its author (own cards offer Pin or Unpin);
    # shown in a profile's pinned section (says "Pinned"); a content warning hides the text
    # behind it; sensitive images are hidden until asked for.
    bookmarked: bool = False
    pinned: bool = False
    pinned_label: bool = False
    spoiler_text: str = ""
    sensitive: bool = False


class PollCard(NamedTuple):
    """A poll as this viewer sees it: a voting form, or the results (once voted, ended, or
    on your own post). Counts are None while hide_totals keeps them until the end."""

    id: int
    options: tuple[tuple[str, int | None, int], ...]  # title, votes, percent
    votes_count: int
    voters_count: int
    multiple: bool
    results: bool
    closes: str  # "Ended", "Ends in 3h"
    chosen: tuple[int, ...] = ()


def _closes(view: PollView) -> str:
    left = int((view.expires_at - utcnow()).total_seconds())
    if left <= 0:
        return "Ended"
    for unit, size in (("days", 86400), ("hours", 3600), ("minutes", 60)):
        if left >= size:
            count = left // size
            return f"Ends in {count} {unit[:-1] if count == 1 else unit}"
    return "Ends in less than a minute"


def poll_card(post: Tweet, user: User | None, page: Page | None) -> PollCard | None:
    view = page.polls.get(post.id) if page else None
    if view is None:
        return None
    chosen = page.votes.get(post.id, ()) if page else ()
    ended = view.expired()
    results = ended or bool(chosen) or user is None or user.id == post.owner_id
    hidden = view.hide_totals and not ended
    options = tuple(
        (
            title,
            None if hidden else votes,
            votes * 100 // view.votes_count if view.votes_count and not hidden else 0,
        )
        for title, votes in view.options
    )
    return PollCard(view.id, options, view.votes_count, view.voters_count, view.multiple,
                    results, _closes(view), chosen)  # fmt: skip


def _markup(card: Card, csrf: str) -> Markup:
    module = templates.env.get_template("partials/_tweet_macros.html").module
    markup: Markup = module.tweet_card_markup(card, csrf)  # type: ignore[attr-defined]
    return markup


@lru_cache(maxsize=settings.card_cache_size)
def _pieces(card: Card) -> tuple[str, ...]:
    """The card's markup split around the CSRF token."""
    return tuple(_markup(card, _HOLE).split(_HOLE))


def _quoted(post: Tweet, page: Page | None) -> Quoted | None:
    if post.quote_of_id is None:
        return None
    quoted = page.quoted.get(post.id) if page else None  # only if the viewer may see it
    if quoted is None:
        return Quoted(post.quote_of_id)
    return Quoted(
        quoted.id,
        quoted.text,
        quoted.author_name,
        quoted.author_username,
        quoted.created_at,
        relative(quoted.created_at),
    )


# What a card reads of a post and of its author. An ORM attribute read costs a descriptor
# call (0.2-0.6 us on SQLAlchemy 2.1): a card made 30 of them, a page 600. Loaded values are
# read from the instance's dict instead, in one subset check per object.
_POST_FIELDS = frozenset(
    ("id", "text", "created_at", "like_count", "owner_id", "reply_count", "repost_count",
     "visibility", "quote_of_id", "media", "edited_at", "pinned_at", "spoiler_text",
     "sensitive", "owner")
)  # fmt: skip
_AUTHOR_FIELDS = frozenset(("username", "display_name", "avatar_key"))


def _loaded(obj: object, names: frozenset[str]) -> dict[str, Any]:
    """`obj`'s values for `names`: its own dict when all are loaded (a card's row always
    has them), else read the usual way (an expired or deferred attribute loads)."""
    values: dict[str, Any] = obj.__dict__
    return values if names <= values.keys() else {n: getattr(obj, n) for n in names}


def make_card(tweet: Tweet, liked: Container[int], user: User | None, page: Page | None) -> Card:
    post = shown(tweet)
    p = _loaded(post, _POST_FIELDS)
    author = _loaded(p["owner"], _AUTHOR_FIELDS)
    post_id = p["id"]
    reposter = tweet.owner if tweet.repost_of_id is not None else None
    return Card(
        id=post_id,
        text=p["text"],
        created_at=p["created_at"],
        age=relative(p["created_at"]),
        like_count=p["like_count"],
        author_name=author["display_name"] or author["username"],  # User.name
        author_username=author["username"],
        liked=post_id in liked,
        own=user is not None and user.id == p["owner_id"],
        reply_count=p["reply_count"],
        repost_count=p["repost_count"],
        reposted=page is not None and post_id in page.reposted,
        visibility=p["visibility"],
        reply_to=page.reply_to.get(post_id) if page else None,
        reposter_name=reposter.name if reposter else None,
        reposter_username=reposter.username if reposter else None,
        quoted=_quoted(post, page) if p["quote_of_id"] is not None else None,
        mentions=page.mentions.get(post_id, frozenset()) if page else frozenset(),
        repostable=p["visibility"] in REPOSTABLE,
        pictures=Pictures(storage.url(author["avatar_key"]), card_images(p["media"])),
        edited=p["edited_at"] is not None,
        poll=poll_card(post, user, page),
        bookmarked=page is not None and post_id in page.bookmarked,
        pinned=p["pinned_at"] is not None,
        pinned_label=page is not None and page.pinned,
        spoiler_text=p["spoiler_text"],
        sensitive=p["sensitive"],
    )


def tweet_card(
    tweet: Tweet, liked: Container[int], user: User | None, csrf: str, page: Page | None = None
) -> Markup:
    """One post as this viewer sees it; `liked` holds the ids of posts the viewer liked, and
    `page` (the Page it came in) the reposted flags and mentions."""
    card = make_card(tweet, liked, user, page)
    if templates.env.auto_reload or not settings.card_cache_size:
        markup = _markup(card, csrf)
    else:
        markup = Markup(str(escape(csrf)).join(_pieces(card)))
    titles = page.warned.get(card.id) if page else None
    return _collapsed(markup, titles) if titles else markup


def tweet_cards(
    tweets: Iterable[Tweet], liked: Container[int], user: User | None, csrf: str, page: Page | None
) -> Markup:
    """A list of cards, one tweet_card each: one call from the template where a loop over
    the page made a template call per card (a call from Jinja costs it an inspection of
    the function, and each iteration its loop bookkeeping)."""
    return Markup("\n").join(tweet_card(tweet, liked, user, csrf, page) for tweet in tweets)


def _collapsed(markup: Markup, titles: str) -> Markup:
    """A post a `warn` filter caught (issue 17): closed behind the filter's title. <details>
    opens without JavaScript; the card itself stays cached as it is."""
    return Markup(
        '<details class="filtered"><summary>Hidden by your filter: {}</summary>{}</details>'
    ).format(titles, markup)


templates.env.globals["tweet_card"] = tweet_card
templates.env.globals["tweet_cards"] = tweet_cards
