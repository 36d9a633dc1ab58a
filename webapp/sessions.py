"""Browser sessions, shared by the web pages and the OAuth consent page.

A session is a random token stored (as a digest) in auth_tokens with kind "session",
so logging out deletes it server-side and the old cookie stops working. The cookie
carries the token plus an HMAC of it under SECRET_KEY: a tampered or forged cookie is
refused before the database is asked.
"""

import hashlib
import hmac
from datetime import timedelta

from fastapi import Request, Response
from sqlalchemy.orm import Session

from webapp import crud
from webapp.config import settings
from webapp.models import User

COOKIE = "chirp_session"
KIND = "session"


def _mac(token: str) -> str:
    key = settings.secret_key.encode()
    return hmac.new(key, b"session:" + token.encode(), hashlib.sha256).hexdigest()


def sign(token: str) -> str:
    return f"{token}.{_mac(token)}"


def session_token(request: Request) -> str | None:
    """The session token from the request's cookie, if its signature holds."""
    token, _, mac = request.cookies.get(COOKIE, "").rpartition(".")
    if token and hmac.compare_digest(mac, _mac(token)):
        return token
    return None


def current_user(session: Session, request: Request) -> User | None:
    token = session_token(request)
    return crud.user_for_token(session, token, kind=KIND) if token else None


def start(session: Session, response: Response, user: User, request: Request) -> None:
    """Log in: end any session this browser had, then issue a new id (no fixation)."""
    end(session, request, response)
    max_age = timedelta(days=settings.session_max_age_days)
    token = crud.create_token(session, user_id=user.id, kind=KIND, max_age=max_age)
    response.set_cookie(
        COOKIE,
        sign(token),
        max_age=int(max_age.total_seconds()),
        httponly=True,
        samesite="lax",
        secure=settings.session_cookie_secure,
    )


def end(session: Session, request: Request, response: Response) -> None:
    """Log out: the token is deleted server-side, so a copied cookie stops working too."""
    token = session_token(request)
    if token:
        crud.revoke_token(session, token)
    response.delete_cookie(
        COOKIE, httponly=True, samesite="lax", secure=settings.session_cookie_secure
    )
