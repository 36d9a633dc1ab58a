"""Who to follow, and relationships for a list of accounts.

Suggestions are friends of friends first (people followed by the people you follow, ranked
by how many of them follow each), then the most followed accounts. Two statements, each
bounded: only your FRIENDS_SAMPLE most recent follows are walked.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, Select, and_, func, select
from sqlalchemy.orm import Session, aliased

from webapp.crud.statuses import Window, _window, with_media_only
from webapp.crud.users import listed
from webapp.crud.visibility import muting, not_blocked, not_muted, publicly_listed, visible_to
from webapp.models import Follow, Tweet, TweetTag, User

FRIENDS_SAMPLE = 50
# How many of the most followed accounts to consider after friends of friends.
POPULAR_SAMPLE = 200


@dataclass(frozen=True)
class Suggestion:
    user: User
    # "friends_of_friends" or "most_followed", as Mastodon names suggestion sources.
    source: str
    # For friends of friends: how many people you follow follow them.
    mutuals: int = 0


def who_to_follow(session: Session, *, user_id: int, limit: int = 5) -> list[Suggestion]:
    followed = select(Follow.followee_id).where(Follow.follower_id == user_id)
    friends = (
        select(Follow.followee_id)
        .where(Follow.follower_id == user_id)
        .order_by(Follow.created_at.desc())
        .limit(FRIENDS_SAMPLE)
        .subquery()
    )
    theirs = aliased(Follow)
    mutuals = func.count().label("mutuals")
    fof = (
        select(User, mutuals)
        .join(theirs, theirs.followee_id == User.id)
        .where(theirs.follower_id.in_(select(friends.c.followee_id)))
        .where(User.id != user_id, User.id.not_in(followed), listed(), _unwanted(user_id))
        .group_by(User.id)
        .order_by(mutuals.desc(), User.id)
        .limit(limit)
    )
    found = [Suggestion(user, "friends_of_friends", n) for user, n in session.execute(fof)]
    if len(found) < limit:
        skip = [user_id] + [s.user.id for s in found]
        found += _most_followed(session, user_id, followed, skip, limit - len(found))
    return found


def _unwanted(user_id: int) -> ColumnElement[bool]:
    """Nobody blocked either way, nobody you mute (issue 17)."""
    return and_(not_blocked(user_id), ~muting(user_id, User.id))


def _most_followed(
    session: Session, user_id: int, followed: Select[int], skip: list[int], limit: int
) -> list[Suggestion]:
    followers = func.count().label("followers")
    top = (
        select(Follow.followee_id, followers)
        .group_by(Follow.followee_id)
        .order_by(followers.desc(), Follow.followee_id)
        .limit(POPULAR_SAMPLE)
        .subquery()
    )
    query = (
        select(User)
        .join(top, top.c.followee_id == User.id)
        .where(User.id.not_in(skip), User.id.not_in(followed), listed(), _unwanted(user_id))
        .order_by(top.c.followers.desc(), User.id)
        .limit(limit)
    )
    return [Suggestion(user, "most_followed") for user in session.scalars(query)]


@dataclass(frozen=True)
class Relationship:
    following: bool
    followed_by: bool


def relationships(
    session: Session, *, user_id: int, other_ids: Iterable[int]
) -> dict[int, Relationship]:
    """How you and each of these accounts follow each other: one statement for the list."""
    ids = list(dict.fromkeys(other_ids))
    if not ids:
        return {}
    query = select(Follow.follower_id, Follow.followee_id).where(
        ((Follow.follower_id == user_id) & Follow.followee_id.in_(ids))
        | ((Follow.followee_id == user_id) & Follow.follower_id.in_(ids))
    )
    pairs = {(row[0], row[1]) for row in session.execute(query)}
    return {
        other: Relationship((user_id, other) in pairs, (other, user_id) in pairs) for other in ids
    }


def tag_statuses(
    session: Session,
    *,
    tag: str,
    window: Window,
    viewer_id: int | None = None,
    only_media: bool = False,
) -> list[Tweet]:
    """Posts using #tag in a Mastodon id window (max_id / since_id / min_id)."""
    query = (
        select(Tweet)
        .join(TweetTag, (TweetTag.tweet_id == Tweet.id) & (TweetTag.tag == tag.lower()))
        .where(publicly_listed(), visible_to(viewer_id), not_muted(viewer_id))
    )
    return _window(session, with_media_only(query, only_media), window)
