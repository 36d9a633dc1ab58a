"""Security headers on every response, as a pure ASGI middleware (no body buffering)."""

from urllib.parse import urlsplit

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from webapp.config import settings

# Only our own scripts and styles: no inline script, so an injected <script> cannot run.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}
HSTS = "max-age=31536000; includeSubDomains"

# Images served from a bucket or a CDN (MEDIA_PUBLIC_URL, issue 16) must be allowed to load.
if settings.media_public_url and (_media := urlsplit(settings.media_public_url)).netloc:
    HEADERS["Content-Security-Policy"] = CSP.replace(
        "img-src 'self' data:", f"img-src 'self' data: {_media.scheme}://{_media.netloc}"
    )

# A browser must not keep what a signed-in person saw: after Log out, Back would show it
# from its cache. So no-store on every response to a request carrying the session cookie,
# on responses that set or clear it, and on the account pages themselves.
SESSION_COOKIE = b"chirp_session="
ACCOUNT_PATHS = frozenset({"/login", "/signup", "/settings", "/logout"})


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                add_headers(headers)
                if private(scope, headers):
                    headers["Cache-Control"] = "no-store"
            await send(message)

        await self.app(scope, receive, send_with_headers)


def add_headers(headers: MutableHeaders) -> None:
    # setdefault: a route that needs a different policy sets its own and keeps it.
    for name, value in HEADERS.items():
        headers.setdefault(name, value)
    if settings.session_cookie_secure:  # only claim HTTPS-only when we are served over HTTPS
        headers.setdefault("Strict-Transport-Security", HSTS)


def private(scope: Scope, response: MutableHeaders) -> bool:
    """Whether the response may hold a signed-in person's data (static files never do)."""
    path: str = scope["path"]
    if path.startswith("/static/"):
        return False
    if path in ACCOUNT_PATHS:
        return True
    cookies = b"".join(value for name, value in scope["headers"] if name == b"cookie")
    sets = any(c.startswith(SESSION_COOKIE.decode()) for c in response.getlist("set-cookie"))
    return SESSION_COOKIE in cookies or sets
