"""An account's life after sign-up: change or reset the password, change the email, delete.

Mailed links carry a single-use token (only its digest is stored, like every credential);
using one deletes it, and it expires by itself. Archives are in webapp/crud/export.py.
"""

from datetime import timedelta

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from webapp import passwords
from webapp.crud import conversations
from webapp.crud.errors import DomainError, EmailTaken, WeakPassword
from webapp.crud.users import email_key, get_user
from webapp.models import AccountToken, AuthToken, Like, ReservedHandle, Tweet, User, utcnow
from webapp.security import hash_password, new_token, token_digest, verify_password

RESET_TTL = timedelta(hours=1)
EMAIL_TTL = timedelta(days=1)
SESSION_KIND = "session"  # webapp.sessions.KIND: browser sessions, ended on a password change


class WrongPassword(DomainError):
    message = "That isn't your current password."
    field = "password"


class LinkInvalid(DomainError):
    message = "This link has expired or was already used. Ask for a new one."


def _check_new_password(password: str) -> None:
    if weakness := passwords.problem(password):
        raise WeakPassword(weakness)


def _require_password(user: User, password: str) -> None:
    if not verify_password(password, user.hashed_password)[0]:
        raise WrongPassword()


def _issue(
    session: Session, *, user_id: int, purpose: str, ttl: timedelta, new_email: str | None = None
) -> str:
    token = new_token()
    expires = utcnow() + ttl
    row = AccountToken(
        token_hash=token_digest(token), user_id=user_id, purpose=purpose, expires_at=expires
    )
    row.new_email = new_email
    session.add(row)
    session.commit()
    return token


def _redeem(session: Session, token: str, purpose: str) -> AccountToken:
    """The live token row, deleted (single use) in the caller's transaction."""
    row = session.scalar(
        select(AccountToken).where(
            AccountToken.token_hash == token_digest(token),
            AccountToken.purpose == purpose,
            AccountToken.expires_at > utcnow(),
        )
    )
    if row is None:
        raise LinkInvalid()
    session.delete(row)
    return row


def link_works(session: Session, token: str, purpose: str) -> bool:
    """Whether a mailed link still works (the page asks before showing its form)."""
    query = exists().where(
        AccountToken.token_hash == token_digest(token),
        AccountToken.purpose == purpose,
        AccountToken.expires_at > utcnow(),
    )
    return bool(session.scalar(select(query)))


def start_password_reset(session: Session, *, email: str) -> tuple[User, str] | None:
    """A reset token for the account with this email, or None when there is none."""
    user = session.scalar(select(User).where(User.email_key == email_key(email)))
    if user is None:
        return None
    return user, _issue(session, user_id=user.id, purpose="reset", ttl=RESET_TTL)


def reset_password(session: Session, *, token: str, new_password: str) -> User:
    """Set a new password from a mailed link; every session and reset link of the account ends."""
    _check_new_password(new_password)
    row = _redeem(session, token, "reset")
    user = get_user(session, row.user_id)
    user.hashed_password = hash_password(new_password)
    _end_credentials(session, user.id, keep_digest=None)
    session.commit()
    return user


def change_password(
    session: Session, *, user_id: int, current: str, new: str, keep_session: str | None
) -> None:
    """Change the password; other browser sessions end (this one, `keep_session`, stays)."""
    user = get_user(session, user_id)
    _require_password(user, current)
    _check_new_password(new)
    user.hashed_password = hash_password(new)
    _end_credentials(session, user.id, keep_digest=token_digest(keep_session or ""))
    session.commit()


def _end_credentials(session: Session, user_id: int, *, keep_digest: str | None) -> None:
    sessions = delete(AuthToken).where(AuthToken.user_id == user_id, AuthToken.kind == SESSION_KIND)
    if keep_digest is not None:
        sessions = sessions.where(AuthToken.token_hash != keep_digest)
    session.execute(sessions)
    session.execute(
        delete(AccountToken).where(AccountToken.user_id == user_id, AccountToken.purpose == "reset")
    )


def start_email_change(session: Session, *, user_id: int, password: str, new_email: str) -> str:
    """A token that, mailed to the new address, proves it is theirs. Nothing changes yet."""
    user = get_user(session, user_id)
    _require_password(user, password)
    _ensure_email_free(session, new_email)
    return _issue(session, user_id=user.id, purpose="email", ttl=EMAIL_TTL, new_email=new_email)


def confirm_email_change(session: Session, *, token: str) -> User:
    row = _redeem(session, token, "email")
    new_email = row.new_email or ""
    _ensure_email_free(session, new_email)  # someone may have signed up with it meanwhile
    user = get_user(session, row.user_id)
    user.email, user.email_key = new_email, email_key(new_email)
    session.commit()
    return user


def _ensure_email_free(session: Session, email: str) -> None:
    if session.scalar(select(exists().where(User.email_key == email_key(email)))):
        raise EmailTaken("That email belongs to another account.")


def delete_account(session: Session, *, user_id: int, password: str) -> None:
    """Remove the person and everything they made; their handle stays reserved.

    Their posts, likes, follows and credentials go by ON DELETE CASCADE; the like counts of
    the posts they liked are lowered first, in the same transaction.
    """
    user = get_user(session, user_id)
    _require_password(user, password)
    liked = select(Like.tweet_id).where(Like.owner_id == user_id)
    session.execute(
        update(Tweet).where(Tweet.id.in_(liked)).values(like_count=Tweet.like_count - 1)
    )
    conversations.uncount_author(session, user_id)
    session.add(ReservedHandle(username=user.username))
    from webapp.crud import media  # here: crud.media imports webapp.media, which imports crud

    files = media.keys_of_user(session, user_id)  # their pictures go too (issue 16)
    session.execute(delete(User).where(User.id == user_id))
    session.commit()
    media.delete_files(files)
    session.expunge_all()  # the deleted user must not linger in the identity map
