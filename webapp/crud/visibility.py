"""Who may see a post, as SQL predicates over Tweet: every listing and every single-post read
goes through them, so a hidden post never surfaces (and reading one is a 404, never a 403).

- public and unlisted: everyone (unlisted is only left out of Everyone, tag pages and search);
- private (followers only): the author and the author's followers;
- direct: the author and the people the post mentions;
- nobody sees the posts of a suspended account (a probe of a partial index of the few
  suspended accounts: next to free);
- nobody sees the posts of someone they blocked or who blocked them, nor reposts of such
  posts (probes of blocks' primary key, both ways: issue 17).

Muting is not a matter of who may see a post (a muted person's profile still shows their
posts): `not_muted` is the listings' own predicate (home, everyone, tags, lists, search,
threads).
"""

from collections.abc import Callable
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, func, or_, true
from sqlalchemy.orm import InstrumentedAttribute, aliased

from webapp.models import Block, Follow, Mention, Mute, Tweet, User

# A user id, a bound parameter, or a column (the probe then runs per row of that column).
Viewer = int | ColumnElement[int] | InstrumentedAttribute[int]

OPEN = ("public", "unlisted")
# What a viewer may repost: a repost shows a post to the reposter's followers, so only the
# posts everyone may see already.
REPOSTABLE = OPEN
# Its own alias: listings join the author as User, which the probe must not correlate to.
_BANNED = aliased(User, name="suspended_author")
# The original of a repost, for the block and mute probes (its own alias, for the same reason).
_ORIGINAL = aliased(Tweet, name="probed_original")


def visible_to(
    viewer_id: int | ColumnElement[int] | None, tweet: Any = Tweet
) -> ColumnElement[bool]:
    """True for the rows of `tweet` (Tweet or an alias of it) this viewer may see.
    `viewer_id` may be a bound parameter, for a statement built once."""
    everyone = open_to_all(tweet)
    shown = ~exists().where(_BANNED.id == tweet.owner_id, _BANNED.suspended_at.is_not(None))
    if viewer_id is None:
        return and_(shown, everyone)
    follows = exists().where(Follow.follower_id == viewer_id, Follow.followee_id == tweet.owner_id)
    mentioned = exists().where(Mention.tweet_id == tweet.id, Mention.user_id == viewer_id)
    viewer = viewer_id  # a closure does not keep mypy's narrowing
    return and_(
        shown,
        ~_by_or_of(tweet, lambda author: blocked_between(viewer, author)),
        or_(
            everyone,
            tweet.owner_id == viewer_id,
            and_(tweet.visibility == "private", follows),
            and_(tweet.visibility == "direct", mentioned),
        ),
    )


def open_to_all(tweet: Any = Tweet) -> ColumnElement[bool]:
    """Public or unlisted. Spelled as two comparisons, not `IN (...)`: SQLAlchemy expands an
    IN list's parameter on every execution of a cached statement, which was 2% of a home
    page's CPU (py-spy); plain parameters are bound as they are."""
    return or_(*(tweet.visibility == name for name in OPEN))


def publicly_listed(tweet: Any = Tweet) -> ColumnElement[bool]:
    """What Everyone, tag pages and search may list: public posts only."""
    listed: ColumnElement[bool] = tweet.visibility == "public"
    return listed


def blocked_between(viewer_id: Viewer, other: Any) -> ColumnElement[bool]:
    """Whether either of the two blocked the other: two probes of blocks' primary key.
    `other` is a user id or a column (the author of the row at hand)."""
    return or_(
        exists().where(Block.blocker_id == viewer_id, Block.blocked_id == other),
        exists().where(Block.blocker_id == other, Block.blocked_id == viewer_id),
    )


def muting(viewer_id: Viewer, other: Any, *, notifications: bool = False) -> ColumnElement[bool]:
    """Whether the viewer mutes `other` now (a mute past its expires_at no longer counts);
    with `notifications`, only a mute that also silences their notifications."""
    probe = exists().where(Mute.muter_id == viewer_id, Mute.muted_id == other, mute_active())
    return probe.where(Mute.notifications) if notifications else probe


def mute_active() -> ColumnElement[bool]:
    """A mute row still in force: without end, or ending later than now."""
    return or_(Mute.expires_at.is_(None), Mute.expires_at > func.now())


def _by_or_of(tweet: Any, probe: Callable[[Any], ColumnElement[bool]]) -> ColumnElement[bool]:
    """`probe` holds for the post's author or, for a repost, for the original's author."""
    original = exists().where(_ORIGINAL.id == tweet.repost_of_id, probe(_ORIGINAL.owner_id))
    return or_(probe(tweet.owner_id), original)


def not_muted(viewer_id: Viewer | None, tweet: Any = Tweet) -> ColumnElement[bool]:
    """Leaves out the posts of people the viewer mutes, reposts by them and reposts of
    their posts: for home, everyone, tags, lists, search and threads (not profiles)."""
    if viewer_id is None:
        return true()
    viewer = viewer_id
    return ~_by_or_of(tweet, lambda author: muting(viewer, author))


def not_blocked(viewer_id: Viewer | None, user_id: Any = User.id) -> ColumnElement[bool]:
    """For lists of people (search, suggestions, who liked or reposted): leaves out whoever
    the viewer blocked or is blocked by."""
    if viewer_id is None:
        return true()
    return ~blocked_between(viewer_id, user_id)
