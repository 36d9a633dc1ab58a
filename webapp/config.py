"""One settings object, read from the environment and `.env`."""

from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from webapp import vapid

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER_SECRET = "change-me-to-a-long-random-string"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=ROOT / ".env", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    # SQLite in the project folder is the embedded default; PostgreSQL in production.
    database_url: str = f"sqlite:///{ROOT / 'chirp.db'}"
    secret_key: str = PLACEHOLDER_SECRET
    # Set when served over HTTPS, so the session cookie is never sent in clear.
    session_cookie_secure: bool = False
    session_max_age_days: int = 30
    api_token_max_age_days: int = 30
    # Adds X-SQL-Statements (statements run by the request) to responses; for bench/.
    sql_count_header: bool = False
    # Requests each worker process works on at once, the rest queue (unset: no cap); see
    # webapp/concurrency.py. One or two per worker serves more, with shorter tails (bench/).
    max_concurrent_requests: int | None = None
    # Rendered tweet cards each worker keeps for reuse (webapp/web/cards.py); 0 turns it off.
    card_cache_size: int = Field(default=4096, ge=0)
    # Where rate-limit counts live: memory:// (one process) or redis://127.0.0.1:6379 (shared).
    rate_limit_storage: str = "memory://"
    rate_limits_enabled: bool = True  # off only for load tests (bench/)
    # The reverse proxy's address; only its X-Forwarded-For is believed for the client IP.
    trusted_proxy: str | None = None
    # PostgreSQL cancels any statement running longer than this (0: never), so a hung or
    # locked database gives 503s (webapp/failures.py) instead of a pile of stuck requests.
    db_statement_timeout_ms: int = Field(default=5000, ge=0)
    # Where people reach Chirp, e.g. https://chirp.example.org: absolute URLs (Mastodon
    # url/uri/avatar, Link headers) are built from it, never from the request's Host header.
    # Outside development only its host (and ALLOWED_HOSTS) is served; unset, only localhost.
    public_url: str | None = None
    # More host names to answer to, comma-separated (e.g. chirp.internal,10.0.0.5).
    allowed_hosts: str = ""
    # Outgoing mail (password reset, email confirmation). Without SMTP_HOST, messages are
    # written to the log instead (webapp/mail.py), which is enough for development.
    smtp_host: str | None = None
    smtp_port: int = 587
    smtp_username: str | None = None
    smtp_password: str | None = None
    smtp_from: str = "Chirp <chirp@localhost>"
    smtp_timeout_seconds: float = 10.0
    # Who may sign up: anyone (open), anyone but an admin approves first (approval), or
    # nobody (closed). Shown to Mastodon apps in /api/v1/instance.
    registrations: Literal["open", "approval", "closed"] = "open"
    # Live updates cross processes through Redis pub/sub when set (redis://127.0.0.1:6379),
    # else PostgreSQL LISTEN/NOTIFY; on SQLite they stay in one process (webapp/events.py).
    redis_url: str | None = None
    # Work that leaves the request (webapp/jobs.py, PostgreSQL only): each app process runs
    # a worker by default; false leaves it to `python -m webapp.cli worker` processes.
    jobs_in_app: bool = True
    # Home feeds (webapp/crud/feeds.py): a post by someone with up to this many followers is
    # written to their feeds in the post's own transaction; past it, by a job after the reply.
    feed_inline_fanout: int = Field(default=100, ge=0)

    # --- Media (issue 16): uploaded images, see webapp/media/.
    # Largest upload accepted, per file, in bytes.
    media_max_bytes: int = Field(default=10 * 1024 * 1024, ge=1)
    # Where processed images are written when no bucket is set; served at /media/.
    media_root: Path = ROOT / "media"
    # An S3-compatible bucket instead of media_root (credentials: the standard
    # AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY; MinIO, Garage, Ceph: set the endpoint).
    media_s3_bucket: str | None = None
    media_s3_endpoint_url: str | None = None
    media_s3_region: str = "us-east-1"
    # The address files are served from (a CDN, or the bucket's public URL); the default is
    # /media/ for local files and ENDPOINT/BUCKET/ for a bucket.
    media_public_url: str | None = None
    # Images each worker process decodes at once; more uploads wait (memory stays bounded:
    # ~100 MB per 12 MP photo being processed). The number of cores is a good value.
    media_processing_slots: int = Field(default=2, ge=1)

    # --- Web Push for Mastodon apps (webapp/webpush.py).
    # The VAPID pair that signs every push, as Mastodon takes it: base64url of the raw P-256
    # private key (32 bytes) and of the public point (65 bytes). Unset: generated once and
    # kept in the database, so every app process signs with the same pair.
    vapid_private_key: str | None = None
    vapid_public_key: str | None = None
    # Who push services may contact about our pushes (the VAPID `sub` claim): a mailto: or
    # https: URL. Unset: PUBLIC_URL when it is https, else mailto: SMTP_FROM's address.
    vapid_subject: str | None = None
    # Push endpoints on loopback or private addresses, and plain http ones, are refused
    # (the server would post wherever a client says); true only for local development and tests.
    push_allow_private_endpoints: bool = False

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> "Settings":
        if self.environment != "development" and self.secret_key == PLACEHOLDER_SECRET:
            raise ValueError(
                "SECRET_KEY is still the sample placeholder; set a long random value "
                "(python -c 'import secrets; print(secrets.token_urlsafe(48))')"
            )
        return self

    @field_validator("database_url")
    @classmethod
    def _default_driver(cls, value: str) -> str:
        """A PostgreSQL URL without a driver gets psycopg 3 (server-side prepared statements:
        the timeline's statements are planned once per connection, not once per page);
        an explicit `postgresql+psycopg2://` is kept."""
        for bare in ("postgres://", "postgresql://"):
            if value.startswith(bare):
                return "postgresql+psycopg://" + value.removeprefix(bare)
        return value

    @model_validator(mode="after")
    def _vapid_pair(self) -> "Settings":
        if bool(self.vapid_private_key) != bool(self.vapid_public_key):
            raise ValueError("set both VAPID_PRIVATE_KEY and VAPID_PUBLIC_KEY, or neither")
        if self.vapid_private_key and not vapid.matches(
            self.vapid_private_key, self.vapid_public_key or ""
        ):
            raise ValueError(
                "VAPID_PUBLIC_KEY is not the public half of VAPID_PRIVATE_KEY (both base64url, "
                "32 and 65 bytes: `python -m webapp.cli vapid-keys` prints a pair)"
            )
        return self

    @field_validator("public_url")
    @classmethod
    def _origin_only(cls, value: str | None) -> str | None:
        if not value:
            return None
        parts = urlsplit(value.strip())
        extra = parts.path.strip("/") or parts.query or parts.fragment
        if parts.scheme not in ("http", "https") or not parts.hostname or extra:
            raise ValueError("PUBLIC_URL must be an origin such as https://chirp.example.org")
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


settings = Settings()
