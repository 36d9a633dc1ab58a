"""Shared FastAPI dependencies: the database session and who is asking."""

from typing import Annotated

from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer
from sqlalchemy.orm import Session

from webapp import crud
from webapp.db import get_session
from webapp.models import User

SESSION_COOKIE = "chirp_session"

SessionDep = Annotated[Session, Depends(get_session)]

# auto_error=False: a browser session may stand in for the bearer token.
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="token", auto_error=False)


def optional_user(
    request: Request, session: SessionDep, token: Annotated[str | None, Depends(oauth2_scheme)]
) -> User | None:
    if token:
        return crud.user_for_token(session, token, kind="api")
    cookie = request.cookies.get(SESSION_COOKIE)
    if cookie:
        return crud.user_for_token(session, cookie, kind="session")
    return None


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
