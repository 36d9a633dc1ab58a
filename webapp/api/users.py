"""/users/...: sign-up, look-up, and the per-user lists."""

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Query, Request, status

from webapp import crud, ratelimit, schemas
from webapp.api.errors import EVERY_ROUTE, RATE_LIMITED, USER_NOT_FOUND, doc, doc_422
from webapp.deps import SessionDep
from webapp.models import Like, Tweet, User
from webapp.schemas import DB_INT_MAX

router = APIRouter(prefix="/users", tags=["users"], responses=EVERY_ROUTE)

Skip = Annotated[int, Query(ge=0, le=2**31)]
Limit = Annotated[int, Query(ge=1, le=1000)]
UserId = Annotated[int, Path(ge=-DB_INT_MAX, le=DB_INT_MAX)]
# Opt-in keyset cursors beside the contract's skip/limit: no OFFSET however deep you page.
Before = Annotated[
    int | None,
    Query(ge=-DB_INT_MAX, le=DB_INT_MAX, description="Only ids below this one, newest first."),
]
After = Annotated[
    int | None,
    Query(ge=-DB_INT_MAX, le=DB_INT_MAX, description="Only ids above this one, in id order."),
]
OptionalLimit = Annotated[int | None, Query(ge=1, le=1000)]
SKIP_WITH_CURSOR = doc(400, "Both skip and a cursor were given")


def no_skip_with_cursor(skip: int, before: int | None, after: int | None) -> None:
    if skip and (before is not None or after is not None):
        raise HTTPException(
            status.HTTP_400_BAD_REQUEST,
            "Use either skip or a cursor (before/after), not both",
        )


@router.get("/", response_model=list[schemas.User], responses=SKIP_WITH_CURSOR)
def read_users(
    session: SessionDep,
    skip: Skip = 0,
    limit: Limit = 100,
    before: Before = None,
    after: After = None,
) -> Sequence[User]:
    no_skip_with_cursor(skip, before, after)
    return crud.list_users(session, skip=skip, limit=limit, before=before, after=after)


@router.get("/{user_id}", response_model=schemas.User, responses=USER_NOT_FOUND)
def read_user(user_id: UserId, session: SessionDep) -> User:
    return crud.get_user(session, user_id)


@router.post(
    "/",
    response_model=schemas.User,
    responses={
        **doc(400, "Email already registered (in any letter case)"),
        **doc(403, "Sign-ups are closed on this server (REGISTRATIONS=closed)"),
        **doc_422("Invalid email, or a password that is too short, too long or too common"),
        **RATE_LIMITED,
    },
)
def create_user(body: schemas.UserCreate, session: SessionDep, request: Request) -> User:
    ratelimit.enforce("sign_up", request, body.email)
    try:
        return crud.register(session, email=body.email, password=body.password)
    except crud.EmailTaken as error:
        raise HTTPException(status.HTTP_400_BAD_REQUEST, "Email already registered") from error
    except crud.WeakPassword as error:
        raise HTTPException(status.HTTP_422_UNPROCESSABLE_CONTENT, error.message) from error


@router.get("/{user_id}/tweets/", response_model=list[schemas.Tweet], responses=USER_NOT_FOUND)
def read_user_tweets(
    user_id: UserId,
    session: SessionDep,
    limit: OptionalLimit = None,
    before: Before = None,
    after: After = None,
) -> Sequence[Tweet]:
    """All of the user's tweets by id; `before`/`after` (and `limit`) page them by cursor."""
    return crud.list_user_tweets(session, user_id, limit=limit, before=before, after=after)


@router.get("/{user_id}/likes/", response_model=list[schemas.Like], responses=USER_NOT_FOUND)
def read_user_likes(user_id: UserId, session: SessionDep) -> Sequence[Like]:
    return crud.list_likes(session, user_id)


@router.get(
    "/{user_id}/liked_tweets/", response_model=list[schemas.Tweet], responses=USER_NOT_FOUND
)
def read_liked_tweets(user_id: UserId, session: SessionDep) -> Sequence[Tweet]:
    return crud.list_liked_tweets(session, user_id)
