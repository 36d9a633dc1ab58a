"""Typed SQLAlchemy 2.0 models. Relationships raise on lazy load so a per-row query fails loudly."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    UniqueConstraint,
    false,
    func,
    text,
    true,
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
SPOILER_MAX_CHARS = 280
IDEMPOTENCY_KEY_MAX = 255
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
    __table_args__ = (
        # The few suspended accounts: what visible_to probes for every post it shows.
        Index(
            "ix_users_suspended",
            "id",
            postgresql_where=text("suspended_at IS NOT NULL"),
            sqlite_where=text("suspended_at IS NOT NULL"),
        ),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320))
    # Lower-cased email: uniqueness is case-insensitive, while `email` keeps what was typed.
    email_key: Mapped[str] = mapped_column(String(320), unique=True)
    username: Mapped[str] = mapped_column(String(30), unique=True)
    display_name: Mapped[str] = mapped_column(String(50), default="", server_default="")
    bio: Mapped[str] = mapped_column(String(160), default="", server_default="")
    hashed_password: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = _created_at()
    # Profile pictures (issue 16): storage keys of the processed files, None for none.
    avatar_key: Mapped[str | None] = mapped_column(String(255))
    header_key: Mapped[str | None] = mapped_column(String(255))
    # Up to four {"name": ..., "value": ...} pairs, as Mastodon's profile fields.
    profile_fields: Mapped[list[dict[str, str]] | None] = mapped_column(JSON(none_as_null=True))
    bot: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # Moderation (webapp/crud/moderation.py): admins see /admin; a suspended account cannot
    # sign in and its posts are hidden; a pending one waits for an admin's approval.
    is_admin: Mapped[bool] = mapped_column(default=False, server_default=false())
    suspended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    pending: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Whether the person has any keyword filter (webapp/crud/filters.py): loaded with the
    # session lookup, so a page spends a statement on filters only for those who have some.
    has_filters: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The home feed (webapp/crud/feeds.py, PostgreSQL): None while nobody keeps one for this
    # person; otherwise home_feed holds every post of theirs and their followees newer than it.
    # A new account's is kept from the start (0: it holds all of nothing).
    feed_floor: Mapped[int | None] = mapped_column(Integer, default=0)
    # A locked account approves each new follower (webapp/crud/follow_requests.py).
    locked: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Counter cache (0020, webapp/crud/post_counts.py): the posts that count (all but direct
    # ones, reposts included) and when the newest was made, so a page of statuses never
    # counts an author's posts. Kept by atomic UPDATEs; a deletion leaves last_status_at.
    statuses_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_status_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    tweets: Mapped[list["Tweet"]] = relationship(
        back_populates="owner", lazy="raise", foreign_keys="Tweet.owner_id"
    )

    @property
    def name(self) -> str:
        return self.display_name or self.username


# Who may see a post (Mastodon's names): everyone and listed; everyone but not listed in
# Everyone, tag pages or search; the author's followers; only the people it mentions.
VISIBILITIES = ("public", "unlisted", "private", "direct")


class Tweet(Base):
    """A post. A reply points at its parent; a repost is a row with empty text pointing at
    the original (deleted with it); a quote is a post with text pointing at another."""

    __tablename__ = "tweets"
    __table_args__ = (
        Index("ix_tweets_owner_id_id", "owner_id", "id"),
        Index("ix_tweets_in_reply_to_id_id", "in_reply_to_id", "id"),
        Index("ix_tweets_quote_of_id", "quote_of_id"),
        # A profile's few pinned posts (0013): a probe of the pinned ones only.
        Index(
            "ix_tweets_pinned",
            "owner_id",
            postgresql_where=text("pinned_at IS NOT NULL"),
            sqlite_where=text("pinned_at IS NOT NULL"),
        ),
        # Once per person; also the index the "did I repost it" probe and the cascade use.
        UniqueConstraint("repost_of_id", "owner_id"),
        CheckConstraint(
            "visibility IN ('public', 'unlisted', 'private', 'direct')", name="visibility"
        ),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(TWEET_MAX_CHARS))
    like_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = _created_at()
    # A deleted parent leaves the reply readable: the id goes NULL, the parent's author stays,
    # so the thread shows "This post was deleted" where the parent was.
    in_reply_to_id: Mapped[int | None] = mapped_column(ForeignKey("tweets.id", ondelete="SET NULL"))
    in_reply_to_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    # Replies everyone may see (public and unlisted): a count never reveals a hidden reply.
    reply_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    repost_of_id: Mapped[int | None] = mapped_column(ForeignKey("tweets.id", ondelete="CASCADE"))
    repost_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    quote_of_id: Mapped[int | None] = mapped_column(ForeignKey("tweets.id", ondelete="SET NULL"))
    visibility: Mapped[str] = mapped_column(String(16), default="public", server_default="public")
    # The attached images as shown (webapp/media/summary.py), copied from media_attachments
    # when the tweet is posted: a timeline page then needs no extra statement to show them.
    # Attached media never change, so the copy cannot go stale. None: no images.
    media: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON(none_as_null=True))
    # Posting options (0013): a content warning shown above the collapsed text, whether its
    # images are blurred, the ISO 639-1 language, and when its author pinned it (None: not).
    spoiler_text: Mapped[str] = mapped_column(
        String(SPOILER_MAX_CHARS), default="", server_default=""
    )
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    language: Mapped[str | None] = mapped_column(String(8))
    pinned_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Editing (issue 19): when the text last changed (None: never); earlier texts in tweet_edits.
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Whether a poll is attached: a page of cards loads polls only when one of them has one.
    has_poll: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())

    owner: Mapped[User] = relationship(
        back_populates="tweets", lazy="raise", foreign_keys=[owner_id]
    )
    in_reply_to_user: Mapped[User | None] = relationship(
        lazy="raise", foreign_keys=[in_reply_to_user_id]
    )
    repost_of: Mapped["Tweet | None"] = relationship(
        lazy="raise", foreign_keys=[repost_of_id], remote_side=[id]
    )
    quote_of: Mapped["Tweet | None"] = relationship(
        lazy="raise", foreign_keys=[quote_of_id], remote_side=[id]
    )


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


# --- Search and discovery (issue 15). Post search itself lives outside the models: a
# generated tsvector column on PostgreSQL and an FTS5 table on SQLite, made by migration 0005
# and left out of autogenerate's comparison (alembic/env.py).


class Tag(Base):
    """Every #tag ever used, once: tag search reads a prefix of this small table."""

    __tablename__ = "tags"
    __table_args__ = (
        # LIKE 'prefix%' uses this index on PostgreSQL whatever the database's collation.
        Index("ix_tags_name_pattern", "name", postgresql_ops={"name": "varchar_pattern_ops"}),
    )

    name: Mapped[str] = mapped_column(String(100), primary_key=True)
    created_at: Mapped[datetime] = _created_at()


class TweetTag(Base):
    """A #tag a tweet uses, written at post time: tag pages, trends and tag search read it.

    owner_id and created_at are copied from the tweet so trends (distinct people per tag in
    the last 24 hours) is one index-only range scan on ix_tweet_tags_recent.
    """

    __tablename__ = "tweet_tags"
    __table_args__ = (
        Index("ix_tweet_tags_recent", "created_at", "tag", "owner_id"),
        Index("ix_tweet_tags_tweet_id", "tweet_id"),
    )

    tag: Mapped[str] = mapped_column(String(100), primary_key=True)
    tweet_id: Mapped[int] = mapped_column(
        ForeignKey("tweets.id", ondelete="CASCADE"), primary_key=True
    )
    owner_id: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = _created_at()


class FollowedTag(Base):
    """A tag someone follows (Mastodon's POST /api/v1/tags/:name/follow)."""

    __tablename__ = "followed_tags"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    tag: Mapped[str] = mapped_column(String(100), primary_key=True)
    created_at: Mapped[datetime] = _created_at()


# --- Notifications and read markers (issue 14) ---

# Mastodon's type names: a reply is a "mention", a repost a "reblog".
NOTIFICATION_KINDS = ("follow", "favourite", "mention", "reblog", "quote", "follow_request")
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
        NO_ID_REUSE,
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


# People search: a prefix of the handle or of the display name, as you type. On PostgreSQL
# the pattern_ops indexes serve LIKE 'prefix%' whatever the collation.
Index(
    "ix_users_username_pattern",
    User.username,
    postgresql_ops={"username": "varchar_pattern_ops"},
)
Index(
    "ix_users_display_name_lower",
    func.lower(User.display_name).label("display_name_lower"),
    postgresql_ops={"display_name_lower": "text_pattern_ops"},
)


class Mention(Base):
    """A person a post mentions by @handle (handles that exist when it is posted)."""

    __tablename__ = "mentions"
    __table_args__ = (Index("ix_mentions_user_id_tweet_id", "user_id", "tweet_id"),)

    tweet_id: Mapped[int] = mapped_column(
        ForeignKey("tweets.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )


class MediaAttachment(Base):
    """An uploaded image (issue 16): its processed files in storage, and what describes it.

    tweet_id stays None until a post attaches it; deleting the tweet deletes the row (and
    crud.media deletes its files).
    """

    __tablename__ = "media_attachments"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    tweet_id: Mapped[int | None] = mapped_column(
        ForeignKey("tweets.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16), default="image")
    original_key: Mapped[str] = mapped_column(String(255))
    preview_key: Mapped[str] = mapped_column(String(255))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    preview_width: Mapped[int] = mapped_column(Integer)
    preview_height: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(String(1500), default="", server_default="")
    focus_x: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    focus_y: Mapped[float] = mapped_column(Float, default=0.0, server_default="0")
    blurhash: Mapped[str | None] = mapped_column(String(64))
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


# --- edits: editing posts with history, and polls (issue 19) ---

POLL_OPTION_MAX = 50


class TweetEdit(Base):
    """A previous version of an edited post (its text, content warning and whether it was
    sensitive), as it read from created_at until the next edit."""

    __tablename__ = "tweet_edits"
    __table_args__ = (Index("ix_tweet_edits_tweet_id_id", "tweet_id", "id"), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    tweet_id: Mapped[int] = mapped_column(ForeignKey("tweets.id", ondelete="CASCADE"))
    text: Mapped[str] = mapped_column(String(TWEET_MAX_CHARS))
    # 0019: edits may change the warning, so each version keeps its own.
    spoiler_text: Mapped[str] = mapped_column(
        String(SPOILER_MAX_CHARS), default="", server_default=""
    )
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    created_at: Mapped[datetime] = _created_at()


class Poll(Base):
    """A post's poll; its id is the post's (one poll per post, as on Mastodon). The counts
    change by atomic UPDATEs in the transaction that records a vote."""

    __tablename__ = "polls"

    tweet_id: Mapped[int] = mapped_column(
        ForeignKey("tweets.id", ondelete="CASCADE"), primary_key=True
    )
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    multiple: Mapped[bool] = mapped_column(default=False, server_default=false())
    hide_totals: Mapped[bool] = mapped_column(default=False, server_default=false())
    votes_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    voters_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PollOption(Base):
    __tablename__ = "poll_options"

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.tweet_id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str] = mapped_column(String(POLL_OPTION_MAX))
    votes_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")


class PollVote(Base):
    """One chosen option of one voter: a multiple-choice vote is several rows."""

    __tablename__ = "poll_votes"
    __table_args__ = (Index("ix_poll_votes_user_id", "user_id"),)

    poll_id: Mapped[int] = mapped_column(
        ForeignKey("polls.tweet_id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = _created_at()


# --- blocks: block and mute (issue 17) ---


class Block(Base):
    """`blocker` blocked `blocked`: neither sees the other anywhere (crud/visibility.py), and
    neither may follow the other. The primary key serves both probes of a pair (who blocked
    whom); the reverse index serves "who blocked me" and the account's deletion."""

    __tablename__ = "blocks"
    __table_args__ = (
        CheckConstraint("blocker_id <> blocked_id", name="no_self_block"),
        Index("ix_blocks_blocked_id_blocker_id", "blocked_id", "blocker_id"),
    )

    blocker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    blocked_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = _created_at()


class Mute(Base):
    """`muter` no longer sees `muted`'s posts in listings (and, with `notifications`, hears
    nothing from them) until `expires_at`; the muted person notices nothing."""

    __tablename__ = "mutes"
    __table_args__ = (
        CheckConstraint("muter_id <> muted_id", name="no_self_mute"),
        Index("ix_mutes_muted_id", "muted_id"),
    )

    muter_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    muted_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    created_at: Mapped[datetime] = _created_at()
    # None: until unmuted. Past it the mute no longer applies (compared in the predicate).
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    notifications: Mapped[bool] = mapped_column(default=True, server_default=true())


# --- filters: keyword filters (issue 17), Mastodon's v2 filters ---

FILTER_CONTEXTS = ("home", "notifications", "public", "thread", "account")
FILTER_ACTIONS = ("warn", "hide")


class Filter(Base):
    """A person's named filter: posts matching its keywords (or naming its statuses) are
    collapsed (warn) or left out (hide) in the contexts it lists, until it expires."""

    __tablename__ = "filters"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(100))
    # A subset of FILTER_CONTEXTS, in that order.
    context: Mapped[list[str]] = mapped_column(JSON)
    filter_action: Mapped[str] = mapped_column(String(8), default="warn", server_default="warn")
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = _created_at()


class FilterKeyword(Base):
    __tablename__ = "filter_keywords"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    filter_id: Mapped[int] = mapped_column(ForeignKey("filters.id", ondelete="CASCADE"), index=True)
    keyword: Mapped[str] = mapped_column(String(100))
    whole_word: Mapped[bool] = mapped_column(default=True, server_default=true())


class FilterStatus(Base):
    """A single post a filter matches, whatever its words."""

    __tablename__ = "filter_statuses"
    __table_args__ = (UniqueConstraint("filter_id", "status_id"), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    filter_id: Mapped[int] = mapped_column(ForeignKey("filters.id", ondelete="CASCADE"))
    status_id: Mapped[int] = mapped_column(ForeignKey("tweets.id", ondelete="CASCADE"), index=True)


# --- feed: the per-person home feed (issue 18) ---


class HomeFeed(Base):
    """A post waiting in someone's home timeline: written when the post is made (fan-out on
    write), so reading a home page is one index range however many people one follows.
    No foreign key to tweets: a deleted post's rows are dropped by the read's join and the
    next trim, instead of an index on tweet_id that every fan-out would have to write."""

    __tablename__ = "home_feed"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    tweet_id: Mapped[int] = mapped_column(Integer, primary_key=True)


# --- social: locked accounts, direct conversations, featured tags, endorsements ---


class FollowRequest(Base):
    """Someone asked to follow a locked account; accepting makes the Follow, rejecting
    deletes this row. The id orders the requests (Mastodon pages follow requests by it)."""

    __tablename__ = "follow_requests"
    __table_args__ = (
        UniqueConstraint("follower_id", "followee_id"),
        Index("ix_follow_requests_followee_id_id", "followee_id", "id"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    follower_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    followee_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = _created_at()


class Conversation(Base):
    """A thread of direct posts: started by a direct post that answers no direct post."""

    __tablename__ = "conversations"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = _created_at()


class ConversationPost(Base):
    """Which conversation a direct post belongs to: a direct reply joins its parent's."""

    __tablename__ = "conversation_posts"
    __table_args__ = (Index("ix_conversation_posts_conversation_id", "conversation_id"),)

    tweet_id: Mapped[int] = mapped_column(
        ForeignKey("tweets.id", ondelete="CASCADE"), primary_key=True
    )
    conversation_id: Mapped[int] = mapped_column(ForeignKey("conversations.id", ondelete="CASCADE"))


class ConversationMember(Base):
    """One person's view of a conversation: its newest post they may read, whether they have
    read it, whether they hid it. sort_id keeps that post's id after it is deleted, so the
    list's order and paging never jump."""

    __tablename__ = "conversation_members"
    __table_args__ = (Index("ix_conversation_members_user_id_sort_id", "user_id", "sort_id"),)

    conversation_id: Mapped[int] = mapped_column(
        ForeignKey("conversations.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    last_status_id: Mapped[int | None] = mapped_column(
        ForeignKey("tweets.id", ondelete="SET NULL"), index=True
    )
    sort_id: Mapped[int] = mapped_column(Integer)
    unread: Mapped[bool] = mapped_column(default=False, server_default=false())
    hidden: Mapped[bool] = mapped_column(default=False, server_default=false())


class FeaturedTag(Base):
    """A #tag someone shows on their profile (Mastodon's featured tags)."""

    __tablename__ = "featured_tags"
    __table_args__ = (UniqueConstraint("user_id", "name"), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(100))
    created_at: Mapped[datetime] = _created_at()


class Endorsement(Base):
    """An account someone features on their profile (Mastodon's account pin)."""

    __tablename__ = "endorsements"
    __table_args__ = (
        Index("ix_endorsements_user_id_id", "user_id", "id"),
        UniqueConstraint("user_id", "target_id"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    target_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = _created_at()


# --- extras: bookmarks, posting apps, idempotency keys (0013) ---


class Bookmark(Base):
    """A post someone saved for later; private to them. The id orders the /bookmarks page."""

    __tablename__ = "bookmarks"
    __table_args__ = (
        UniqueConstraint("user_id", "tweet_id"),
        Index("ix_bookmarks_user_id_id", "user_id", "id"),
        Index("ix_bookmarks_tweet_id", "tweet_id"),
        NO_ID_REUSE,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    tweet_id: Mapped[int] = mapped_column(ForeignKey("tweets.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = _created_at()


class PostedWith(Base):
    """The OAuth app a post came from (a Mastodon status's `application`); web posts have
    none. A row of its own, so tweets need no foreign key added (SQLite would rebuild it)."""

    __tablename__ = "posted_with"

    tweet_id: Mapped[int] = mapped_column(
        ForeignKey("tweets.id", ondelete="CASCADE"), primary_key=True
    )
    app_id: Mapped[int] = mapped_column(ForeignKey("oauth_apps.id", ondelete="CASCADE"), index=True)


class IdempotencyKey(Base):
    """An Idempotency-Key a client sent with a new status: the same key from the same person
    within IDEMPOTENCY_WINDOW returns the first status. The primary key settles a race."""

    __tablename__ = "idempotency_keys"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(IDEMPOTENCY_KEY_MAX), primary_key=True)
    tweet_id: Mapped[int] = mapped_column(ForeignKey("tweets.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = _created_at()


# --- sched ---

# A BIGINT id, except on SQLite, where only INTEGER PRIMARY KEY is the autoincrementing rowid.
BIG_ID = BigInteger().with_variant(Integer, "sqlite")


class ScheduledStatus(Base):
    """A post to publish later (Mastodon's ScheduledStatus): what the client sent, kept as
    Mastodon keeps it (`params`), published by crud.scheduled through the ordinary posting
    path once `scheduled_at` comes. Publishing deletes the row in the post's transaction."""

    __tablename__ = "scheduled_statuses"
    __table_args__ = (Index("ix_scheduled_statuses_user_id_id", "user_id", "id"), NO_ID_REUSE)

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(BigInteger, ForeignKey("users.id", ondelete="CASCADE"))
    scheduled_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime] = _created_at()


class ScheduledMedia(Base):
    """An upload reserved for a scheduled status: no other post or schedule may take it, and
    the media sweeper leaves it. Cancelling the schedule frees it again."""

    __tablename__ = "scheduled_media"

    media_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("media_attachments.id", ondelete="CASCADE"), primary_key=True
    )
    scheduled_status_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("scheduled_statuses.id", ondelete="CASCADE"), index=True
    )


# --- push ---

PUSH_POLICIES = ("all", "followed", "follower", "none")


class WebPushSubscription(Base):
    """Where a Mastodon app wants Web Push for new notifications: one per access token
    (deleting the token, its app or the account takes it along). The keys are the browser's
    or relay's, as given (base64url); the token is kept sealed for the push payload."""

    __tablename__ = "web_push_subscriptions"
    __table_args__ = NO_ID_REUSE

    id: Mapped[int] = mapped_column(BIG_ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    token_id: Mapped[int] = mapped_column(
        BigInteger, ForeignKey("auth_tokens.id", ondelete="CASCADE"), unique=True
    )
    endpoint: Mapped[str] = mapped_column(String(2000))
    key_p256dh: Mapped[str] = mapped_column(String(100))
    key_auth: Mapped[str] = mapped_column(String(50))
    # {"mention": true, ...}: every alert Mastodon names, true or false.
    alerts: Mapped[dict[str, bool]] = mapped_column(JSON)
    policy: Mapped[str] = mapped_column(String(16), default="all", server_default="all")
    # The access token, sealed with SECRET_KEY (webapp/crud/push.py): Mastodon's payload
    # carries it so the app knows which account a push is for; only digests are kept else.
    access_token_sealed: Mapped[str] = mapped_column(String(255))
    # The address the app subscribed through: the payload's icon URL is built from it.
    server_url: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = _created_at()


class ServerKey(Base):
    """A key pair the server made for itself once, kept so every process uses the same one:
    the VAPID pair that signs Web Push when VAPID_PRIVATE_KEY is not set."""

    __tablename__ = "server_keys"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    private_key: Mapped[str] = mapped_column(String(255))
    public_key: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = _created_at()
