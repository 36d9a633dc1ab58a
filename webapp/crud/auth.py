"""Credentials: checking a password, issuing and revoking server-side tokens."""

from datetime import timedelta

from sqlalchemy import ColumnElement, bindparam, delete, select
from sqlalchemy.orm import Session

from webapp.models import AuthToken, User, utcnow
from webapp.security import DUMMY_HASH, new_token, token_digest, verify_password


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The user with this email, or this handle (`ada` or `@ada`), if the password is theirs.
    Either way it is one lookup and one hash check, so timing never tells who exists."""
    user = None
    if storable(email):  # a NUL or lone surrogate matches no one; the database would refuse it
        user = session.scalar(select(User).where(_login_matches(email)))
    if user is None:
        verify_password(password, DUMMY_HASH)  # same cost as a wrong password
        return None
    ok, upgraded = verify_password(password, user.hashed_password)
    if not ok:
        return None
    if upgraded:  # hashing parameters rose since this hash was made
        user.hashed_password = upgraded
        session.commit()
    return user


def _login_matches(login: str) -> ColumnElement[bool]:
    key = login.strip().lower()
    if "@" in key.removeprefix("@"):  # an email has an @ after its first character
        return User.email_key == key
    return User.username == key.removeprefix("@")


def storable(text: str) -> bool:
    try:
        text.encode("utf-8")  # fails on a lone surrogate
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def create_token(
    session: Session,
    *,
    user_id: int,
    kind: str,
    max_age: timedelta,
    app_id: int | None = None,
    scopes: str | None = None,
) -> str:
    """Issue a new random credential; only its digest is stored."""
    token = new_token()
    session.add(
        AuthToken(
            token_hash=token_digest(token),
            user_id=user_id,
            kind=kind,
            expires_at=utcnow() + max_age,
            app_id=app_id,
            scopes=scopes,
        )
    )
    session.commit()
    return token


# Built once: every signed-in page asks this, and building the statement costs more
# Python time than running it. Bound per call by digest, kind and now.
_USER_FOR_TOKEN = (
    select(User)
    .join(AuthToken, AuthToken.user_id == User.id)
    .where(
        AuthToken.token_hash == bindparam("digest"),
        AuthToken.kind == bindparam("kind"),
        AuthToken.expires_at > bindparam("now", type_=AuthToken.expires_at.type),
    )
)


def user_for_token(session: Session, token: str, *, kind: str) -> User | None:
    params = {"digest": token_digest(token), "kind": kind, "now": utcnow()}
    return session.scalar(_USER_FOR_TOKEN, params)


def revoke_token(session: Session, token: str) -> None:
    session.execute(delete(AuthToken).where(AuthToken.token_hash == token_digest(token)))
    session.commit()
