"""Tweets: posting, reading, deleting (the work is in conversations.py, which knows about
replies, reposts, quotes and who may see what)."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.crud import conversations
from webapp.crud.paging import keyset
from webapp.crud.polls import PollSpec
from webapp.crud.posting import PostOptions
from webapp.crud.users import get_user
from webapp.crud.visibility import publicly_listed, visible_to
from webapp.models import Tweet


def create_tweet(
    session: Session,
    *,
    owner_id: int,
    text: str,
    visibility: str = "public",
    in_reply_to_id: int | None = None,
    quote_of_id: int | None = None,
    poll: PollSpec | None = None,
    options: PostOptions | None = None,
) -> Tweet:
    return conversations.post(
        session,
        owner_id=owner_id,
        text=text,
        visibility=visibility,
        in_reply_to_id=in_reply_to_id,
        quote_of_id=quote_of_id,
        poll=poll,
        options=options,
    )


def get_tweet(session: Session, tweet_id: int, viewer_id: int | None = None) -> Tweet:
    """A post `viewer_id` may see (anyone's public ones without a viewer); else NotFound."""
    return conversations.visible_tweet(session, tweet_id, viewer_id)


def list_tweets(
    session: Session,
    *,
    skip: int = 0,
    limit: int = 100,
    before: int | None = None,
    after: int | None = None,
) -> Sequence[Tweet]:
    """Public posts (not reposts): the contract's list of tweets."""
    query = select(Tweet).where(publicly_listed(), visible_to(None), Tweet.repost_of_id.is_(None))
    query = keyset(query, Tweet.id, before=before, after=after)
    return session.scalars(query.offset(skip or None).limit(limit)).all()


def list_user_tweets(
    session: Session,
    user_id: int,
    *,
    limit: int | None = None,
    before: int | None = None,
    after: int | None = None,
) -> Sequence[Tweet]:
    """A user's posts anyone may see, by id (the contract), or a keyset page when asked."""
    get_user(session, user_id)
    query = select(Tweet).where(
        Tweet.owner_id == user_id, visible_to(None), Tweet.repost_of_id.is_(None)
    )
    query = keyset(query, Tweet.id, before=before, after=after)
    return session.scalars(query.limit(limit)).all()


def delete_tweet(session: Session, *, tweet_id: int, user_id: int) -> None:
    conversations.delete_post(session, tweet_id=tweet_id, user_id=user_id)
