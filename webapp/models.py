"""Typed SQLAlchemy 2.0 models. Relationships raise on lazy load so a per-row query fails loudly."""

from datetime import UTC, datetime

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

# Named constraints make migrations deterministic on SQLite and PostgreSQL alike.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

TWEET_MAX_CHARS = 280


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _created_at() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    # Lower-cased email: uniqueness is case-insensitive, while `email` keeps what was typed.
    email_key: Mapped[str] = mapped_column(String(320), unique=True)
    username: Mapped[str] = mapped_column(String(30), unique=True)
    display_name: Mapped[str] = mapped_column(String(50), default="", server_default="")
    bio: Mapped[str] = mapped_column(String(160), default="", server_default="")
    hashed_password: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = _created_at()

    tweets: Mapped[list["Tweet"]] = relationship(back_populates="owner", lazy="raise")

    @property
    def name(self) -> str:
        return self.display_name or self.username


class Tweet(Base):
    __tablename__ = "tweets"
    __table_args__ = (Index("ix_tweets_owner_id_id", "owner_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(TWEET_MAX_CHARS))
    like_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = _created_at()

    owner: Mapped[User] = relationship(back_populates="tweets", lazy="raise")


class Like(Base):
    __tablename__ = "likes"
    __table_args__ = (
        UniqueConstraint("owner_id", "tweet_id"),
        Index("ix_likes_tweet_id", "tweet_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    tweet_id: Mapped[int] = mapped_column(ForeignKey("tweets.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = _created_at()


class Follow(Base):
    __tablename__ = "follows"
    __table_args__ = (
        CheckConstraint("follower_id <> followee_id", name="no_self_follow"),
        Index("ix_follows_followee_id_follower_id", "followee_id", "follower_id"),
    )

    follower_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    followee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = _created_at()


class AuthToken(Base):
    """A server-side credential: a browser session or an API bearer token.

    Only the SHA-256 of the token is stored, so a leaked table grants no access;
    deleting the row (log out, revoke) ends the credential at once.
    """

    __tablename__ = "auth_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = _created_at()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # Set for tokens a Mastodon app obtained through OAuth; deleting the app ends them.
    app_id: Mapped[int | None] = mapped_column(
        ForeignKey("oauth_apps.id", ondelete="CASCADE"), index=True
    )
    scopes: Mapped[str | None] = mapped_column(String(255))


class OAuthApp(Base):
    """A client registered through POST /api/v1/apps. Only the secret's digest is stored."""

    __tablename__ = "oauth_apps"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    client_secret_hash: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    # One URI per line, as Mastodon accepts them.
    redirect_uris: Mapped[str] = mapped_column(String(2000))
    scopes: Mapped[str] = mapped_column(String(255))
    website: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = _created_at()


class OAuthCode(Base):
    """A one-time authorization code, redeemed at POST /oauth/token within minutes."""

    __tablename__ = "oauth_codes"

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("oauth_apps.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    redirect_uri: Mapped[str] = mapped_column(String(2000))
    scopes: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- Notifications and read markers (issue 14) ---

# Mastodon's type names: a reply is a "mention", a repost a "reblog".
NOTIFICATION_KINDS = ("follow", "favourite", "mention", "reblog", "quote")
MARKER_TIMELINES = ("home", "notifications")


class Notification(Base):
    """One row per cause: who did what to whom, about which tweet (none for a follow).

    The unique key makes notify() idempotent; a follow has no tweet, and NULLs never collide
    in a unique constraint, so a partial unique index covers that case.
    """

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("recipient_id", "kind", "actor_id", "tweet_id"),
        Index(
            "uq_notifications_no_tweet",
            "recipient_id",
            "kind",
            "actor_id",
            unique=True,
            sqlite_where=text("tweet_id IS NULL"),
            postgresql_where=text("tweet_id IS NULL"),
        ),
        Index("ix_notifications_recipient_id_id", "recipient_id", "id"),
        Index("ix_notifications_actor_id", "actor_id"),
        Index("ix_notifications_tweet_id", "tweet_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    actor_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    tweet_id: Mapped[int | None] = mapped_column(ForeignKey("tweets.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = _created_at()


class Marker(Base):
    """Where a person stopped reading a timeline (Mastodon markers: home, notifications)."""

    __tablename__ = "markers"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    timeline: Mapped[str] = mapped_column(String(16), primary_key=True)
    last_read_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    updated_at: Mapped[datetime] = _created_at()
