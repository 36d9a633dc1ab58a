"""OAuth for Mastodon apps: registered clients, one-time codes, and the tokens they earn.

Secrets, codes and tokens are random and stored only as SHA-256 digests, like auth_tokens.
"""

from dataclasses import dataclass
from datetime import timedelta
from hmac import compare_digest

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from webapp.crud.auth import create_token
from webapp.crud.errors import DomainError, NotFound
from webapp.models import AuthToken, OAuthApp, OAuthCode, User, utcnow
from webapp.security import new_token, token_digest

CODE_MAX_AGE = timedelta(minutes=10)
# Bearer kinds the Mastodon API accepts: its own OAuth tokens and the JSON API's.
BEARER_KINDS = ("oauth", "api")
ALL_SCOPES = "read write follow push"


class InvalidGrant(DomainError):
    message = "The authorization code is invalid, expired or already used"


@dataclass(frozen=True)
class Bearer:
    user: User
    scopes: frozenset[str]
    app_id: int | None = None  # the app the token was issued to (a status's `application`)
    token_id: int | None = None  # its row: what a push subscription belongs to


def create_app(
    session: Session, *, name: str, redirect_uris: str, scopes: str, website: str | None
) -> tuple[OAuthApp, str]:
    """Register a client; returns it with its secret, which is shown this once only."""
    secret = new_token()
    app = OAuthApp(
        client_id=new_token(),
        client_secret_hash=token_digest(secret),
        name=name,
        redirect_uris=redirect_uris,
        scopes=scopes,
        website=website,
    )
    session.add(app)
    session.commit()
    return app, secret


def get_app(session: Session, client_id: str) -> OAuthApp:
    app = session.scalar(select(OAuthApp).where(OAuthApp.client_id == client_id))
    if app is None:
        raise NotFound("Unknown client_id")
    return app


def authenticate_app(session: Session, *, client_id: str, client_secret: str) -> OAuthApp | None:
    app = session.scalar(select(OAuthApp).where(OAuthApp.client_id == client_id))
    if app is None or not compare_digest(app.client_secret_hash, token_digest(client_secret)):
        return None
    return app


def create_code(
    session: Session, *, app_id: int, user_id: int, redirect_uri: str, scopes: str
) -> str:
    code = new_token()
    session.add(
        OAuthCode(
            code_hash=token_digest(code),
            app_id=app_id,
            user_id=user_id,
            redirect_uri=redirect_uri,
            scopes=scopes,
            expires_at=utcnow() + CODE_MAX_AGE,
        )
    )
    session.commit()
    return code


def redeem_code(session: Session, *, app_id: int, code: str, redirect_uri: str) -> OAuthCode:
    """Use a code once: it is deleted whether or not the rest of the request matches."""
    digest = token_digest(code)
    # Expiry is compared in SQL: SQLite hands back naive datetimes.
    live = OAuthCode.expires_at > utcnow()
    row = session.scalar(select(OAuthCode).where(OAuthCode.code_hash == digest, live))
    session.execute(delete(OAuthCode).where(OAuthCode.code_hash == digest))
    session.commit()
    if row is None or row.app_id != app_id or row.redirect_uri != redirect_uri:
        raise InvalidGrant()
    return row


def create_app_token(
    session: Session, *, app_id: int, user_id: int, scopes: str, max_age: timedelta
) -> str:
    return create_token(
        session, user_id=user_id, kind="oauth", max_age=max_age, app_id=app_id, scopes=scopes
    )


def bearer_for_token(session: Session, token: str) -> Bearer | None:
    query = (
        select(User, AuthToken.scopes, AuthToken.app_id, AuthToken.id)
        .join(AuthToken, AuthToken.user_id == User.id)
        .where(
            AuthToken.token_hash == token_digest(token),
            AuthToken.kind.in_(BEARER_KINDS),
            AuthToken.expires_at > utcnow(),
        )
    )
    row = session.execute(query).first()
    if row is None:
        return None
    return Bearer(row[0], frozenset((row[1] or ALL_SCOPES).split()), row[2], row[3])


def revoke_app_token(session: Session, *, app_id: int, token: str) -> None:
    """Revoke a token this app was given; another app's token is left alone."""
    session.execute(
        delete(AuthToken).where(
            AuthToken.token_hash == token_digest(token), AuthToken.app_id == app_id
        )
    )
    session.commit()
