"""Shared FastAPI dependencies: the database session and who is asking."""

from typing import Annotated

from fastapi import Depends, HTTPException, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from webapp import crud
from webapp.db import get_session
from webapp.models import User

SessionDep = Annotated[Session, Depends(get_session)]

# The JSON API is bearer-only: a browser cookie never authenticates it, so it needs no
# CSRF token. auto_error=False lets public endpoints serve anonymous callers.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", auto_error=False)


def optional_user(
    session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User | None:
    return crud.user_for_token(session, token, kind="api") if token else None


def required_user(user: Annotated[User | None, Depends(optional_user)]) -> User:
    if user is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Not authenticated",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


OptionalUser = Annotated[User | None, Depends(optional_user)]
CurrentUser = Annotated[User, Depends(required_user)]
