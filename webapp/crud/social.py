"""Likes and follows. A like and its tweet's like_count change in one transaction."""

from collections.abc import Sequence

from sqlalchemy import delete, exists, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.crud import feeds
from webapp.crud.errors import AlreadyLiked, Blocked, CannotFollowSelf
from webapp.crud.notifications import notify, unnotify
from webapp.crud.tweets import get_tweet
from webapp.crud.users import get_user
from webapp.crud.visibility import blocked_between, visible_to
from webapp.models import Follow, Like, List, ListMember, Tweet


def like(session: Session, *, user_id: int, tweet_id: int) -> Like:
    tweet = get_tweet(session, tweet_id, user_id)
    row = Like(owner_id=user_id, tweet_id=tweet_id)
    session.add(row)
    try:
        session.flush()  # the unique constraint, not a prior read, decides a double like
    except IntegrityError as error:
        session.rollback()
        raise AlreadyLiked() from error
    _bump_like_count(session, tweet_id, +1)
    notify(
        session, recipient_id=tweet.owner_id, actor_id=user_id, kind="favourite", tweet_id=tweet_id
    )
    session.commit()
    return row


def unlike(session: Session, *, user_id: int, tweet_id: int) -> bool:
    """Remove a like; returns whether there was one. Unliking twice is harmless."""
    tweet = get_tweet(session, tweet_id, user_id)
    deleted = session.execute(
        delete(Like).where(Like.owner_id == user_id, Like.tweet_id == tweet_id)
    )
    if deleted.rowcount:  # type: ignore[attr-defined]
        _bump_like_count(session, tweet_id, -1)
        unnotify(
            session,
            recipient_id=tweet.owner_id,
            actor_id=user_id,
            kind="favourite",
            tweet_id=tweet_id,
        )
    session.commit()
    return bool(deleted.rowcount)  # type: ignore[attr-defined]


def _bump_like_count(session: Session, tweet_id: int, delta: int) -> None:
    # An atomic UPDATE ... SET like_count = like_count + 1: never read-modify-write.
    session.execute(
        update(Tweet).where(Tweet.id == tweet_id).values(like_count=Tweet.like_count + delta)
    )


def list_likes(session: Session, user_id: int) -> Sequence[Like]:
    get_user(session, user_id)
    query = select(Like).join(Tweet, Tweet.id == Like.tweet_id).where(visible_to(None))
    return session.scalars(query.where(Like.owner_id == user_id).order_by(Like.id)).all()


def list_liked_tweets(session: Session, user_id: int) -> Sequence[Tweet]:
    get_user(session, user_id)
    query = select(Tweet).join(Like, Like.tweet_id == Tweet.id)
    query = query.where(Like.owner_id == user_id, visible_to(None))
    return session.scalars(query.order_by(Like.id)).all()


def follow(session: Session, *, follower_id: int, followee_id: int) -> None:
    """Follow someone; following twice is harmless. Not when either blocked the other."""
    if follower_id == followee_id:
        raise CannotFollowSelf()
    get_user(session, followee_id)
    if session.scalar(select(blocked_between(follower_id, followee_id))):
        raise Blocked()
    if is_following(session, follower_id=follower_id, followee_id=followee_id):
        return
    session.add(Follow(follower_id=follower_id, followee_id=followee_id))
    notify(session, recipient_id=followee_id, actor_id=follower_id, kind="follow")
    try:
        session.flush()
        feeds.on_follow(session, follower_id=follower_id, followee_id=followee_id)
        session.commit()
    except IntegrityError:  # a concurrent identical follow won; the outcome is the same
        session.rollback()


def unfollow(session: Session, *, follower_id: int, followee_id: int) -> None:
    get_user(session, followee_id)
    session.execute(
        delete(Follow).where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
    )
    unnotify(session, recipient_id=followee_id, actor_id=follower_id, kind="follow")
    feeds.on_unfollow(session, follower_id=follower_id, followee_id=followee_id)
    # Lists hold only people you follow (as Mastodon's do): leave them too.
    mine = select(List.id).where(List.owner_id == follower_id)
    session.execute(
        delete(ListMember).where(ListMember.list_id.in_(mine), ListMember.user_id == followee_id)
    )
    session.commit()


def is_following(session: Session, *, follower_id: int, followee_id: int) -> bool:
    query = exists().where(Follow.follower_id == follower_id, Follow.followee_id == followee_id)
    return bool(session.scalar(select(query)))
