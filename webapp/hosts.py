"""The Host header is the client's word, not ours: absolute URLs come from PUBLIC_URL, and
outside development a request for a host we do not serve is refused.

Behind a shared cache, a page or API answer that built its links from `Host: evil.example`
would be served to everyone (cache poisoning); a reset link or Mastodon `url` pointing there
sends people to the attacker.
"""

from urllib.parse import urlsplit

from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from webapp.config import settings
from webapp.web.responses import error_response

# With no PUBLIC_URL, `make run` and the tests' live servers are reached on these.
LOCAL_HOSTS = frozenset({"localhost", "127.0.0.1", "::1"})
UNKNOWN_HOST = "This server does not answer to that host name. Use its public address."


def public_base(request: Request) -> str:
    """The site's root URL, ending in '/': PUBLIC_URL, or in development the request's own."""
    if settings.public_url:
        return settings.public_url.rstrip("/") + "/"
    return str(request.base_url)


def allowed_hosts() -> frozenset[str]:
    extra = {host.strip().lower() for host in settings.allowed_hosts.split(",") if host.strip()}
    if settings.public_url:
        return frozenset(extra | {urlsplit(settings.public_url).hostname or ""})
    return frozenset(extra | LOCAL_HOSTS)


def host_name(header: str) -> str | None:
    """The name in a Host header, without its port ('[::1]:8000' -> '::1'); None if garbled."""
    try:
        return urlsplit(f"//{header}").hostname
    except ValueError:
        return None


class TrustedHosts:
    """Outside development, answer only to our own host names: anything else is a 400."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or settings.environment == "development":
            await self.app(scope, receive, send)
            return
        if host_name(Headers(scope=scope).get("host", "")) in allowed_hosts():
            await self.app(scope, receive, send)
            return
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await error_response(Request(scope), 400, UNKNOWN_HOST)(scope, receive, send)
