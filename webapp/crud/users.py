"""Users: sign-up, look-up, listing."""

import re
import secrets
from collections.abc import Sequence
from contextlib import suppress

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import ColumnElement, exists, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp import passwords
from webapp.config import settings
from webapp.crud.errors import (
    EmailTaken,
    NotFound,
    RegistrationsClosed,
    UsernameTaken,
    WeakPassword,
)
from webapp.crud.paging import keyset
from webapp.models import ReservedHandle, User
from webapp.security import hash_password

USERNAME_RE = re.compile(r"^[a-z0-9_]{1,30}$")
# Sign-ups that give no handle get one from the email; tries before giving up on a race.
HANDLE_TRIES = 8


def email_key(email: str) -> str:
    """What makes two emails the same account: email-validator's normalised form (IDNA and
    NFKC on the domain, so a full-width letter is its ASCII twin), lower-cased. Every path
    (web, JSON API, Mastodon, login) compares keys made here."""
    email = email.strip()
    # Not an address: it matches nothing valid, and the sign-up forms refuse it first.
    with suppress(EmailNotValidError):
        email = validate_email(email, check_deliverability=False).normalized
    return email.lower()


def listed() -> ColumnElement[bool]:
    """Accounts that others may find (People, search, suggestions): not suspended, not
    waiting for approval."""
    return User.suspended_at.is_(None) & User.pending.is_(False)


def get_user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found")
    return user


def get_user_by_username(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username.lower()))
    if user is None:
        raise NotFound("User not found")
    return user


def list_users(
    session: Session,
    *,
    skip: int = 0,
    limit: int = 100,
    before: int | None = None,
    after: int | None = None,
) -> Sequence[User]:
    query = keyset(select(User), User.id, before=before, after=after)
    return session.scalars(query.offset(skip or None).limit(limit)).all()


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    username: str | None = None,
    display_name: str = "",
    pending: bool = False,
) -> User:
    if weakness := passwords.problem(password):
        raise WeakPassword(weakness)
    key = email_key(email)
    if session.scalar(select(exists().where(User.email_key == key))):
        raise EmailTaken()
    fields = {
        "email": email.strip(),
        "email_key": key,
        "display_name": display_name,
        "hashed_password": hash_password(password),
        "pending": pending,
    }
    if username is not None:
        if handle_reserved(session, username):
            raise UsernameTaken()
        return _insert(session, User(username=username.lower(), **fields))
    # The handle is ours to choose: if a concurrent sign-up takes it first, pick another.
    for _ in range(HANDLE_TRIES - 1):
        with suppress(UsernameTaken):
            return _insert(session, User(username=_free_username(session, key), **fields))
    return _insert(session, User(username=_free_username(session, key), **fields))


def _insert(session: Session, user: User) -> User:
    session.add(user)
    try:
        session.commit()
    except IntegrityError as error:  # lost a race with a concurrent sign-up
        session.rollback()
        raise EmailTaken() if "email" in str(error.orig) else UsernameTaken() from error
    return user


def register(session: Session, *, email: str, password: str, username: str | None = None) -> User:
    """A sign-up, under the server's REGISTRATIONS policy: refused when closed, waiting for
    an admin when approval is required."""
    if settings.registrations == "closed":
        raise RegistrationsClosed()
    pending = settings.registrations == "approval"
    return create_user(session, email=email, password=password, username=username, pending=pending)


def handle_reserved(session: Session, username: str) -> bool:
    """A deleted account's handle is never given out again."""
    query = exists().where(ReservedHandle.username == username.lower())
    return bool(session.scalar(select(query)))


def _free_username(session: Session, key: str) -> str:
    """A handle for API sign-ups that give only an email: its local part, made unique."""
    base = re.sub(r"[^a-z0-9_]", "_", key.split("@")[0])[:24].strip("_") or "user"
    candidate = base
    while session.scalar(select(exists().where(User.username == candidate))) or handle_reserved(
        session, candidate
    ):
        candidate = f"{base}_{secrets.randbelow(10**5)}"
    return candidate
