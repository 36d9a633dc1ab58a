"""Rate limits per IP and per account, Mastodon-style, in a pluggable store.

`enforce(kind, request, account)` is called by routes (API and pages alike) before the
work; past a limit it raises RateLimited, which `install` turns into a 429 with Retry-After.
The store is RATE_LIMIT_STORAGE: `memory://` for one process, `redis://host:6379` to share
the counts between several app processes.
"""

import logging
import math
import time

from fastapi import FastAPI, Request
from fastapi.responses import Response
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import Storage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

from webapp.config import settings
from webapp.web.responses import error_response

log = logging.getLogger("webapp.ratelimit")

# kind -> (limit per IP, limit per account). Login and sign-up follow Mastodon's
# 25 per 5 minutes per IP; posting follows its 300 statuses per 3 hours per account.
LIMITS: dict[str, tuple[RateLimitItem, RateLimitItem]] = {
    "sign_up": (parse("25/5minutes"), parse("5/hour")),
    "login": (parse("25/5minutes"), parse("10/5minutes")),
    "token": (parse("300/5minutes"), parse("30/5minutes")),
    "post": (parse("1500/3hours"), parse("300/3hours")),
    # "Forgot password?" mails: a few per address, so nobody can flood someone's inbox.
    "reset": (parse("10/hour"), parse("3/hour")),
}


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"rate limited; retry after {retry_after} s")
        self.retry_after = retry_after


class Limiter:
    def __init__(self, storage_uri: str, *, key_prefix: str = "chirp") -> None:
        storage = storage_from_string(storage_uri, key_prefix=key_prefix, wrap_exceptions=True)
        assert isinstance(storage, Storage), "RATE_LIMIT_STORAGE must be a synchronous store"
        self.storage = storage
        self.strategy = MovingWindowRateLimiter(self.storage)

    def hit(self, item: RateLimitItem, *key: str) -> None:
        """Count one attempt; raise RateLimited when it is over the limit."""
        try:
            if self.strategy.hit(item, *key):
                return
            reset_at = self.strategy.get_window_stats(item, *key).reset_time
        except StorageError:  # the store is down: let people in rather than lock everyone out
            log.warning("rate limit store unavailable; not limiting", exc_info=True)
            return
        raise RateLimited(max(1, math.ceil(reset_at - time.time())))

    def reset(self) -> None:
        self.storage.reset()


limiter = Limiter(settings.rate_limit_storage)


def client_ip(request: Request) -> str:
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded and settings.trusted_proxy and peer == settings.trusted_proxy:
        # Our proxy appends the address it saw; earlier entries are the client's to forge.
        return forwarded.split(",")[-1].strip()
    return peer


def enforce(kind: str, request: Request, account: str | int | None = None) -> None:
    if not settings.rate_limits_enabled:
        return
    per_ip, per_account = LIMITS[kind]
    limiter.hit(per_ip, kind, "ip", client_ip(request))
    if account is not None:
        limiter.hit(per_account, kind, "account", str(account).strip().lower())


def too_many(request: Request, error: Exception) -> Response:
    assert isinstance(error, RateLimited)
    headers = {"Retry-After": str(error.retry_after)}
    message = f"Too many attempts; please wait {error.retry_after} seconds and try again"
    return error_response(request, 429, message, headers)


def install(app: FastAPI) -> None:
    app.add_exception_handler(RateLimited, too_many)
