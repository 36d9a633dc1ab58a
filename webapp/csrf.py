"""CSRF protection for everything a browser cookie can drive (pages, forms, htmx).

Every POST/PUT/PATCH/DELETE outside the bearer-only JSON API must carry a token, in the
form field `csrf_token` or the `X-CSRF-Token` header (htmx sends it from <body hx-headers>),
and, when the browser names an Origin (or Referer), it must be this host.

Signed in, the token is HMAC(SECRET_KEY, "csrf:" + session token): nothing to store, and it
dies with the session. A visitor (sign-up, log-in forms) gets a random `chirp_csrf` cookie and
the token is its HMAC (a signed double submit): another site can neither read the cookie nor
forge the MAC, so it cannot build a valid pair.
"""

import hashlib
import hmac
import secrets
from urllib.parse import urlsplit

from fastapi import HTTPException, Request, Response, status
from starlette.requests import HTTPConnection

from webapp import sessions
from webapp.config import settings

COOKIE = "chirp_csrf"
FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Bearer-only API paths: no cookie authenticates them, so a forged request gains nothing.
BEARER_PREFIXES = (
    "/users",
    "/tweets",
    "/token",
    "/api/v1/",
    "/api/v2/",  # POST /api/v2/media (issue 16)
    "/oauth/token",
    "/oauth/revoke",
)
_STATE_KEY = "csrf_new_cookie"


def _mac(purpose: str, value: str) -> str:
    key = settings.secret_key.encode()
    return hmac.new(key, f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def token(request: Request, response: Response | None = None) -> str:
    """The token to embed in this request's forms and htmx headers.

    A visitor without a `chirp_csrf` cookie gets one minted now; it is set on `response`
    if given, else remembered for `set_cookie` to put on the response later.
    """
    session_token = sessions.session_token(request)
    if session_token:
        return _mac("csrf", session_token)
    seed = request.cookies.get(COOKIE) or getattr(request.state, _STATE_KEY, None)
    if not seed:
        seed = secrets.token_urlsafe(32)
        setattr(request.state, _STATE_KEY, seed)
    if response is not None:
        set_cookie(request, response)
    return _mac("csrf-visitor", seed)


def set_cookie(request: Request, response: Response) -> None:
    """Put a visitor cookie minted during this request onto its response."""
    seed = getattr(request.state, _STATE_KEY, None)
    if seed:
        response.set_cookie(
            COOKIE, seed, httponly=True, samesite="lax", secure=settings.session_cookie_secure
        )


def _expected(request: Request) -> str | None:
    session_token = sessions.session_token(request)
    if session_token:
        return _mac("csrf", session_token)
    seed = request.cookies.get(COOKIE)
    return _mac("csrf-visitor", seed) if seed else None


def _same_origin(request: Request) -> bool:
    source = request.headers.get("origin") or request.headers.get("referer")
    if source is None:
        return True  # non-browser clients and old browsers: the token alone decides
    return urlsplit(source).netloc == request.headers.get("host", "")


def needs_check(request: Request) -> bool:
    return request.method in UNSAFE_METHODS and not request.url.path.startswith(BEARER_PREFIXES)


async def protect(connection: HTTPConnection) -> None:
    """App-wide dependency: refuse a state change that lacks this site's token or origin.

    A WebSocket passes: the only one (Mastodon streaming) is read-only and never takes a cookie.
    """
    if not isinstance(connection, Request) or not needs_check(connection):
        return
    request = connection
    if not _same_origin(request):
        raise HTTPException(status.HTTP_403_FORBIDDEN, "This request came from another site.")
    sent = request.headers.get(HEADER)
    if not sent and "form" in request.headers.get("content-type", ""):
        sent = str((await request.form()).get(FIELD) or "")
    expected = _expected(request)
    if not sent or not expected or not hmac.compare_digest(sent, expected):
        raise HTTPException(
            status.HTTP_403_FORBIDDEN,
            "This form has expired or did not come from Chirp. Go back, reload the page "
            "and try again.",
        )
