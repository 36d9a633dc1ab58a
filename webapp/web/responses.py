"""Errors answered in the asker's language: JSON for API clients, a friendly page for people."""

from collections.abc import Mapping

from fastapi import Request
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.exc import SQLAlchemyError
from starlette.responses import Response

from webapp import sessions
from webapp.db import SessionLocal
from webapp.models import User
from webapp.web.templating import render

API_PREFIXES = (
    "/users",
    "/tweets",
    "/token",
    "/api/",
    "/oauth/token",
    "/oauth/revoke",
    "/docs",
    "/openapi.json",
    "/healthz",
)

TITLES = {
    400: "That request didn't make sense",
    401: "Please log in",
    403: "Not allowed",
    404: "Page not found",
    405: "That doesn't work here",
    422: "Something in that form wasn't right",
    429: "Slow down a little",
    500: "Something broke on our side",
    503: "Chirp is briefly unavailable",
}


# The Mastodon client API's paths: its clients read errors as {"error": ...}.
MASTODON_PREFIXES = ("/api/v1/", "/api/v2/", "/oauth/")


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES)


def _signed_in_user(request: Request, status_code: int) -> User | None:
    """Who is signed in, so a 404 keeps their top bar; never on 5xx or 429, where the database
    may be the problem (or the load): those pages must render without it."""
    if status_code >= 500 or status_code == 429 or not sessions.session_token(request):
        return None
    try:
        with SessionLocal() as session:
            return sessions.current_user(session, request)
    except SQLAlchemyError:
        return None


def error_response(
    request: Request, status_code: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    if is_api_path(request.url.path):
        key = "error" if request.url.path.startswith(MASTODON_PREFIXES) else "detail"
        return JSONResponse({key: message}, status_code=status_code, headers=headers)
    title = TITLES.get(status_code, "Something went wrong")
    response = render(
        request,
        "error.html",
        {"title": title, "message": message, "status_code": status_code},
        user=_signed_in_user(request, status_code),
        status_code=status_code,
    )
    response.headers.update(headers or {})
    return response


def see_other(url: str) -> Response:
    """Post/redirect/get: a plain form post answers 303 to the page to show next."""
    return RedirectResponse(url, 303)
