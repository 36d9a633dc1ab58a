"""Tweets and likes: reading everyone's, and writing as yourself."""

from collections.abc import Sequence

from fastapi import APIRouter, HTTPException, Request, status

from webapp import crud, ratelimit, schemas
from webapp.api.errors import EVERY_ROUTE, FORBIDDEN, RATE_LIMITED, UNAUTHORIZED, doc, ensure_owner
from webapp.api.users import (
    SKIP_WITH_CURSOR,
    After,
    Before,
    Limit,
    Skip,
    UserId,
    no_skip_with_cursor,
)
from webapp.deps import CurrentUser, SessionDep
from webapp.models import Like, Tweet

router = APIRouter(tags=["tweets"], responses=EVERY_ROUTE)


@router.get("/tweets/", response_model=list[schemas.Tweet], responses=SKIP_WITH_CURSOR)
def read_tweets(
    session: SessionDep,
    skip: Skip = 0,
    limit: Limit = 100,
    before: Before = None,
    after: After = None,
) -> Sequence[Tweet]:
    no_skip_with_cursor(skip, before, after)
    return crud.list_tweets(session, skip=skip, limit=limit, before=before, after=after)


@router.post(
    "/users/{user_id}/tweets/",
    response_model=schemas.Tweet,
    responses={**UNAUTHORIZED, **FORBIDDEN, **doc(404, "User not found"), **RATE_LIMITED},
)
def create_tweet(
    user_id: UserId,
    body: schemas.TweetCreate,
    session: SessionDep,
    current: CurrentUser,
    request: Request,
) -> Tweet:
    """Post a tweet as `user_id`: 1 to 280 characters (code points, so emoji count as one).
    Optionally a reply (`in_reply_to_id`, a tweet you may see, else 404) and its
    `visibility`."""
    crud.get_user(session, user_id)
    ensure_owner(current, user_id)
    ratelimit.enforce("post", request, current.id)
    return crud.create_tweet(
        session,
        owner_id=user_id,
        text=body.text,
        visibility=body.visibility,
        in_reply_to_id=body.in_reply_to_id,
    )


@router.post(
    "/users/{user_id}/likes/",
    response_model=schemas.Like,
    responses={
        **doc(400, "Tweet already liked"),
        **UNAUTHORIZED,
        **FORBIDDEN,
        **doc(404, "User or tweet not found"),
    },
)
def create_like(
    user_id: UserId, body: schemas.LikeCreate, session: SessionDep, current: CurrentUser
) -> Like:
    crud.get_user(session, user_id)
    ensure_owner(current, user_id)
    try:
        return crud.like(session, user_id=user_id, tweet_id=body.tweet_id)
    except crud.AlreadyLiked as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Tweet already liked") from error
