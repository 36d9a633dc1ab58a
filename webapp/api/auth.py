"""POST /token: the OAuth2 password flow behind /docs' Authorize button."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm

from webapp import crud, ratelimit
from webapp.api.errors import EVERY_ROUTE, RATE_LIMITED, doc
from webapp.config import settings
from webapp.deps import SessionDep
from webapp.schemas import Token

router = APIRouter(tags=["auth"], responses=EVERY_ROUTE)


@router.post(
    "/token",
    response_model=Token,
    responses={
        **doc(401, "Wrong email or password"),
        **RATE_LIMITED,
    },
)
def login_for_token(
    form: Annotated[OAuth2PasswordRequestForm, Depends()], session: SessionDep, request: Request
) -> Token:
    """Trade an email or handle (as `username`) and password for a bearer token."""
    ratelimit.enforce("login", request, form.username)  # shares the web login's budget
    user = crud.authenticate(session, email=form.username, password=form.password)
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Incorrect email or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    max_age = timedelta(days=settings.api_token_max_age_days)
    return Token(
        access_token=crud.create_token(session, user_id=user.id, kind="api", max_age=max_age)
    )
