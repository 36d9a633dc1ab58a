"""Tweets: posting, reading, deleting."""

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from webapp.crud.errors import Forbidden, NotFound
from webapp.crud.users import get_user
from webapp.models import Tweet


def create_tweet(session: Session, *, owner_id: int, text: str) -> Tweet:
    tweet = Tweet(owner_id=owner_id, text=text)
    session.add(tweet)
    session.commit()
    return tweet


def get_tweet(session: Session, tweet_id: int) -> Tweet:
    tweet = session.get(Tweet, tweet_id)
    if tweet is None:
        raise NotFound("Tweet not found")
    return tweet


def list_tweets(session: Session, *, skip: int = 0, limit: int = 100) -> Sequence[Tweet]:
    return session.scalars(select(Tweet).order_by(Tweet.id).offset(skip).limit(limit)).all()


def list_user_tweets(session: Session, user_id: int) -> Sequence[Tweet]:
    get_user(session, user_id)
    return session.scalars(select(Tweet).where(Tweet.owner_id == user_id).order_by(Tweet.id)).all()


def delete_tweet(session: Session, *, tweet_id: int, user_id: int) -> None:
    tweet = get_tweet(session, tweet_id)
    if tweet.owner_id != user_id:
        raise Forbidden("You can only delete your own tweets")
    session.execute(delete(Tweet).where(Tweet.id == tweet_id))
    session.commit()
