"""Credentials: checking a password, issuing and revoking server-side tokens."""

from datetime import timedelta

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session

from webapp.crud.errors import AccountUnavailable
from webapp.crud.users import email_key
from webapp.models import AuthToken, User, utcnow
from webapp.security import DUMMY_HASH, new_token, token_digest, verify_password


def authenticate(session: Session, *, email: str, password: str) -> User | None:
    """The user with this email, or this handle (`ada` or `@ada`), if the password is theirs.
    Either way an unknown one costs one hash check, as a wrong password does, so timing never
    tells who exists."""
    candidates = _by_login(session, email) if storable(email) else []
    if not candidates:
        verify_password(password, DUMMY_HASH)  # same cost as a wrong password
        return None
    for user in candidates:
        ok, upgraded = verify_password(password, user.hashed_password)
        if ok:
            if user.suspended_at is not None:  # said only to whoever knows the password
                raise AccountUnavailable()
            if user.pending:
                raise AccountUnavailable("This account is waiting for an admin to approve it.")
            if upgraded:  # hashing parameters rose since this hash was made
                user.hashed_password = upgraded
                session.commit()
            return user
    return None


def _by_email(session: Session, email: str) -> list[User]:
    """The account under the normalised key, then one made before keys were normalised
    (its key is the typed email lower-cased), so those still log in after the upgrade."""
    key, legacy = email_key(email), email.strip().lower()
    users = session.scalars(select(User).where(User.email_key.in_({key, legacy}))).all()
    return sorted(users, key=lambda user: user.email_key != key)


def _by_login(session: Session, login: str) -> list[User]:
    handle = login.strip().lower()
    if "@" in handle.removeprefix("@"):  # an email has an @ after its first character
        return _by_email(session, login)
    return list(session.scalars(select(User).where(User.username == handle.removeprefix("@"))))


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
        User.suspended_at.is_(None),
    )
)


def user_for_token(session: Session, token: str, *, kind: str) -> User | None:
    params = {"digest": token_digest(token), "kind": kind, "now": utcnow()}
    return session.scalar(_USER_FOR_TOKEN, params)


def revoke_token(session: Session, token: str) -> None:
    session.execute(delete(AuthToken).where(AuthToken.token_hash == token_digest(token)))
    session.commit()
