"""Who may see a post, as SQL predicates over Tweet: every listing and every single-post read
goes through them, so a hidden post never surfaces (and reading one is a 404, never a 403).

- public and unlisted: everyone (unlisted is only left out of Everyone, tag pages and search);
- private (followers only): the author and the author's followers;
- direct: the author and the people the post mentions;
- nobody sees the posts of a suspended account (a probe of a partial index of the few
  suspended accounts: next to free).
"""

from typing import Any

from sqlalchemy import ColumnElement, and_, exists, or_
from sqlalchemy.orm import aliased

from webapp.models import Follow, Mention, Tweet, User

OPEN = ("public", "unlisted")
# What a viewer may repost: a repost shows a post to the reposter's followers, so only the
# posts everyone may see already.
REPOSTABLE = OPEN
# Its own alias: listings join the author as User, which the probe must not correlate to.
_BANNED = aliased(User, name="suspended_author")


def visible_to(
    viewer_id: int | ColumnElement[int] | None, tweet: Any = Tweet
) -> ColumnElement[bool]:
    """True for the rows of `tweet` (Tweet or an alias of it) this viewer may see.
    `viewer_id` may be a bound parameter, for a statement built once."""
    everyone: ColumnElement[bool] = tweet.visibility.in_(OPEN)
    shown = ~exists().where(_BANNED.id == tweet.owner_id, _BANNED.suspended_at.is_not(None))
    if viewer_id is None:
        return and_(shown, everyone)
    follows = exists().where(Follow.follower_id == viewer_id, Follow.followee_id == tweet.owner_id)
    mentioned = exists().where(Mention.tweet_id == tweet.id, Mention.user_id == viewer_id)
    return and_(
        shown,
        or_(
            everyone,
            tweet.owner_id == viewer_id,
            and_(tweet.visibility == "private", follows),
            and_(tweet.visibility == "direct", mentioned),
        ),
    )


def publicly_listed(tweet: Any = Tweet) -> ColumnElement[bool]:
    """What Everyone, tag pages and search may list: public posts only."""
    listed: ColumnElement[bool] = tweet.visibility == "public"
    return listed
