"""Errors answered in the asker's language: JSON for API clients, a friendly page for people."""

from collections.abc import Mapping

from fastapi import Request
from fastapi.responses import JSONResponse
from starlette.responses import Response

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


def is_api_path(path: str) -> bool:
    return path.startswith(API_PREFIXES)


def error_response(
    request: Request, status_code: int, message: str, headers: Mapping[str, str] | None = None
) -> Response:
    if is_api_path(request.url.path):
        return JSONResponse({"detail": message}, status_code=status_code, headers=headers)
    title = TITLES.get(status_code, "Something went wrong")
    response = render(
        request,
        "error.html",
        {"title": title, "message": message, "status_code": status_code},
        status_code=status_code,
    )
    response.headers.update(headers or {})
    return response
