"""Jinja setup and the one way pages and fragments are rendered.

`render` adds what every template needs (the signed-in user, the CSRF token) and always
sends `Vary: HX-Request`, because one URL answers a full page or a fragment.
"""

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from markupsafe import Markup, escape
from starlette.responses import Response

from webapp import csrf
from webapp.config import ROOT, settings
from webapp.models import TWEET_MAX_CHARS, User
from webapp.text import linkify
from webapp.web import flash

templates = Jinja2Templates(directory=ROOT / "templates")
# Checking whether a template changed costs a stat() per template per render (each included
# partial, once per tweet): only worth it while developing.
templates.env.auto_reload = settings.environment == "development"


def relative(when: datetime, now: datetime | None = None) -> str:
    """Twitter-style short age: 'now', '5m', '3h', '2d', else the date."""
    when = when if when.tzinfo else when.replace(tzinfo=UTC)  # SQLite drops the zone
    seconds = int(((now or datetime.now(UTC)) - when).total_seconds())
    if seconds >= 7 * 86400:
        return when.strftime("%-d %b %Y")
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return "now"


def time_tag(when: datetime, age: str | None = None) -> Markup:
    """<time> with the exact UTC instant, which app.js keeps fresh as the page stays open.

    `age` is the relative text when the caller already has it (a cached card's key).
    """
    when = (when if when.tzinfo else when.replace(tzinfo=UTC)).astimezone(UTC)
    iso = when.isoformat(timespec="seconds")
    title = when.strftime("%-d %b %Y, %H:%M UTC")
    # iso and title are digits and month names; the relative text is escaped.
    text = escape(relative(when) if age is None else age)
    return Markup(f'<time datetime="{iso}" title="{title}">{text}</time>')


@pass_context
def url_for(context: dict[str, Any], name: str, /, **path_params: Any) -> str:
    """A root-relative URL (/static/app.js): a page never names a host, so a forged Host
    header cannot point its scripts or links elsewhere (Starlette's own is absolute)."""
    request: Request = context["request"]
    root: str = request.scope.get("root_path", "")
    return root + _path_for(request.app, name, tuple(sorted(path_params.items())))


@lru_cache(maxsize=256)
def _path_for(app: Any, name: str, params: tuple[tuple[str, Any], ...]) -> str:
    """The routes never change once the app is built: each address is looked up once (the
    lookup walks every route; base.html asks for five on every page)."""
    return str(app.url_path_for(name, **dict(params)))


templates.env.globals["url_for"] = url_for
templates.env.filters["linkify"] = linkify
templates.env.filters["time_tag"] = time_tag
templates.env.globals["TWEET_MAX_CHARS"] = TWEET_MAX_CHARS


def is_htmx(request: Request) -> bool:
    return request.headers.get("HX-Request") == "true"


def render(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    user: User | None = None,
    status_code: int = 200,
) -> Response:
    page = not is_htmx(request)  # a flash note is for the next whole page, not a fragment
    note = flash.read(request) if page else None
    full = {"user": user, "csrf": csrf.token(request), "flash": note, **(context or {})}
    full.setdefault("unread", getattr(request.state, "unread", 0))  # the nav badge (issue 14)
    response = templates.TemplateResponse(request, name, full, status_code=status_code)
    csrf.set_cookie(request, response)
    if page:
        flash.consume(request, response)
    response.headers["Vary"] = "HX-Request"
    return response
