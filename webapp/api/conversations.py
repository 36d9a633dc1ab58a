"""Conversations in the JSON API (issue 13), on new paths beside the seed contract's: a
tweet's replies, and reposting. Reads show what the caller may see (anonymous: public and
unlisted); a tweet the caller may not see is a 404."""

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Path, Query

from webapp import schemas
from webapp.api.errors import EVERY_ROUTE, FORBIDDEN, UNAUTHORIZED, doc, ensure_owner
from webapp.api.users import UserId
from webapp.crud import conversations, threads
from webapp.deps import CurrentUser, OptionalUser, SessionDep
from webapp.models import Tweet
from webapp.schemas import DB_INT_MAX

router = APIRouter(tags=["conversations"], responses=EVERY_ROUTE)

TweetId = Annotated[int, Path(ge=1, le=DB_INT_MAX)]
After = Annotated[int | None, Query(ge=1, le=DB_INT_MAX, description="Replies after this id.")]
NOT_FOUND = doc(404, "Tweet not found (or not visible to you)")


@router.get("/tweets/{tweet_id}/replies/", response_model=list[schemas.Tweet], responses=NOT_FOUND)
def read_replies(
    tweet_id: TweetId, session: SessionDep, viewer: OptionalUser, after: After = None
) -> Sequence[Tweet]:
    """The direct replies to a tweet that you may see, oldest first, 20 a page (`after`)."""
    viewer_id = viewer.id if viewer else None
    tweet = conversations.visible_tweet(session, tweet_id, viewer_id)
    cursor = threads.Cursor(after, True) if after is not None else None
    page, _ = threads.replies(session, tweet, viewer_id, cursor, order_by_author=False)
    return page.tweets


def _repost(tweet: Tweet, user_id: int, reposted: bool) -> schemas.Repost:
    return schemas.Repost(
        tweet_id=tweet.id, owner_id=user_id, reposted=reposted, repost_count=tweet.repost_count
    )


@router.post(
    "/users/{user_id}/reposts/",
    response_model=schemas.Repost,
    responses={
        **doc(400, "Only public and unlisted tweets can be reposted"),
        **UNAUTHORIZED,
        **FORBIDDEN,
        **NOT_FOUND,
    },
)
def create_repost(
    user_id: UserId, body: schemas.RepostCreate, session: SessionDep, current: CurrentUser
) -> schemas.Repost:
    """Repost a tweet as `user_id`. Reposting twice changes nothing."""
    ensure_owner(current, user_id)
    tweet = conversations.repost(session, user_id=user_id, tweet_id=body.tweet_id)
    return _repost(tweet, user_id, True)


@router.delete(
    "/users/{user_id}/reposts/{tweet_id}",
    response_model=schemas.Repost,
    responses={**UNAUTHORIZED, **FORBIDDEN, **NOT_FOUND},
)
def delete_repost(
    user_id: UserId, tweet_id: TweetId, session: SessionDep, current: CurrentUser
) -> schemas.Repost:
    """Undo a repost; undoing one that is not there is harmless."""
    ensure_owner(current, user_id)
    tweet = conversations.unrepost(session, user_id=user_id, tweet_id=tweet_id)
    return _repost(tweet, user_id, False)
