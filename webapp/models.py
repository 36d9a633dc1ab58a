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
    false,
    func,
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
# SQLite would otherwise give a deleted row's id to the next row (max(id) + 1), so an old
# /t/<id> link could show someone else's post; PostgreSQL sequences never reuse (0003).
NO_ID_REUSE = {"sqlite_autoincrement": True}


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


def _created_at() -> Mapped[datetime]:
    return mapped_column(DateTime(timezone=True), default=utcnow, server_default=func.now())


class User(Base):
    __tablename__ = "users"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    # Lower-cased email: uniqueness is case-insensitive, while `email` keeps what was typed.
    email_key: Mapped[str] = mapped_column(String(320), unique=True)
    username: Mapped[str] = mapped_column(String(30), unique=True)
    display_name: Mapped[str] = mapped_column(String(50), default="", server_default="")
    bio: Mapped[str] = mapped_column(String(160), default="", server_default="")
    hashed_password: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = _created_at()
    # Moderation (webapp/crud/moderation.py): admins see /admin; a suspended account cannot
    # sign in and its posts are hidden; a pending one waits for an admin's approval.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=false())
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pending: Mapped[bool] = mapped_column(default=False, server_default=false())

    tweets: Mapped[list["Tweet"]] = relationship(back_populates="owner", lazy="raise")

    @property
    def name(self) -> str:
        return self.display_name or self.username


class Tweet(Base):
    __tablename__ = "tweets"
    __table_args__ = (Index("ix_tweets_owner_id_id", "owner_id", "id"), NO_ID_REUSE)

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
        NO_ID_REUSE,
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
    __table_args__ = NO_ID_REUSE

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
    __table_args__ = NO_ID_REUSE

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
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    app_id: Mapped[int] = mapped_column(ForeignKey("oauth_apps.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    redirect_uri: Mapped[str] = mapped_column(String(2000))
    scopes: Mapped[str] = mapped_column(String(255))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AccountToken(Base):
    """A single-use link sent by mail: a password reset, or the confirmation of a new email.

    Only the token's digest is stored; using it deletes the row, and it expires on its own.
    """

    __tablename__ = "account_tokens"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(16))  # "reset" | "email"
    new_email: Mapped[str | None] = mapped_column(String(320))
    created_at: Mapped[datetime] = _created_at()
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReservedHandle(Base):
    """The handle of a deleted account: nobody may sign up with it again (old links and
    @mentions keep pointing at nobody rather than at a stranger)."""

    __tablename__ = "reserved_handles"

    username: Mapped[str] = mapped_column(String(30), primary_key=True)
    created_at: Mapped[datetime] = _created_at()


class Report(Base):
    """Someone asks the admins to look at a person, or at one of their posts."""

    __tablename__ = "reports"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    reporter_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    tweet_id: Mapped[int | None] = mapped_column(ForeignKey("tweets.id", ondelete="SET NULL"))
    category: Mapped[str] = mapped_column(String(16))  # spam | violation | other (Mastodon's)
    comment: Mapped[str] = mapped_column(String(1000), default="", server_default="")
    created_at: Mapped[datetime] = _created_at()
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class ModerationAction(Base):
    """The audit log: every moderation action, by whom, on whom. Names are copied in, so
    the log still reads right after an account or post is gone."""

    __tablename__ = "moderation_actions"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    admin_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    admin_username: Mapped[str] = mapped_column(String(30))
    action: Mapped[str] = mapped_column(String(32))
    target_username: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[datetime] = _created_at()


class List(Base):
    """A person's own list of accounts, read as a timeline of its own (Mastodon's lists)."""

    __tablename__ = "lists"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    # Which replies the list shows: to people you follow, to list members, or none.
    replies_policy: Mapped[str] = mapped_column(String(16), default="list", server_default="list")
    # Exclusive lists keep their members' posts out of the home timeline (Mastodon 4.2).
    exclusive: Mapped[bool] = mapped_column(default=False, server_default=false())
    created_at: Mapped[datetime] = _created_at()


class ListMember(Base):
    __tablename__ = "list_members"
    __table_args__ = (Index("ix_list_members_user_id", "user_id"),)

    list_id: Mapped[int] = mapped_column(
        ForeignKey("lists.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = _created_at()
