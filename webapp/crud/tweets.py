"""Tweets: posting, reading, deleting."""

from collections.abc import Sequence

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from webapp.crud.errors import BlankTweet, Forbidden, NotFound
from webapp.crud.paging import keyset
from webapp.crud.tags import record_tags
from webapp.crud.users import get_user
from webapp.models import Tweet
from webapp.text import has_visible_text


def create_tweet(session: Session, *, owner_id: int, text: str) -> Tweet:
    if not has_visible_text(text):  # every surface posts through here: one rule for all
        raise BlankTweet()
    tweet = Tweet(owner_id=owner_id, text=text)
    session.add(tweet)
    session.flush()  # the id, for the tag index
    record_tags(session, tweet)
    session.commit()
    return tweet


def get_tweet(session: Session, tweet_id: int) -> Tweet:
    tweet = session.get(Tweet, tweet_id)
    if tweet is None:
        raise NotFound("Tweet not found")
    return tweet


def list_tweets(
    session: Session,
    *,
    skip: int = 0,
    limit: int = 100,
    before: int | None = None,
    after: int | None = None,
) -> Sequence[Tweet]:
    query = keyset(select(Tweet), Tweet.id, before=before, after=after)
    return session.scalars(query.offset(skip or None).limit(limit)).all()


def list_user_tweets(
    session: Session,
    user_id: int,
    *,
    limit: int | None = None,
    before: int | None = None,
    after: int | None = None,
) -> Sequence[Tweet]:
    """All of a user's tweets by id (the contract), or a keyset page when asked for one."""
    get_user(session, user_id)
    query = select(Tweet).where(Tweet.owner_id == user_id)
    query = keyset(query, Tweet.id, before=before, after=after)
    return session.scalars(query.limit(limit)).all()


def delete_tweet(session: Session, *, tweet_id: int, user_id: int) -> None:
    tweet = get_tweet(session, tweet_id)
    if tweet.owner_id != user_id:
        raise Forbidden("You can only delete your own tweets")
    from webapp.crud import media  # here: crud.media imports webapp.media, which imports crud

    files = media.keys_of_tweet(session, tweet_id)  # its images go with it (issue 16)
    session.execute(delete(Tweet).where(Tweet.id == tweet_id))
    session.commit()
    media.delete_files(files)
