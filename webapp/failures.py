"""Failures people see: a database outage is a 503 with Retry-After, a bug a clean 500.

Never a traceback in the body. JSON for API paths, a short plain page for the rest.
"""

import logging
from html import escape

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from sqlalchemy import exc

log = logging.getLogger("webapp.failures")

# Paths of the JSON API (the contract's, plus the Mastodon API to come); the rest are pages.
API_PREFIXES = ("/users", "/tweets", "/token", "/api/", "/oauth/", "/openapi.json", "/healthz")
OUTAGE_RETRY_AFTER = "2"  # seconds: the pool reconnects as soon as the database is back
OUTAGE_MESSAGE = "The database is unavailable right now; please try again in a moment"


def is_api(request: Request) -> bool:
    return request.url.path.startswith(API_PREFIXES)


def html_error(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    # Swap for webapp.web.responses.error_response when the pages land (one line).
    body = f"<!doctype html><html lang='en'><title>{status}</title><p>{escape(message)}</p></html>"
    return HTMLResponse(body, status_code=status, headers=headers)


def error_response(
    request: Request, status: int, message: str, headers: dict[str, str] | None = None
) -> Response:
    if is_api(request):
        return JSONResponse({"detail": message}, status_code=status, headers=headers)
    return html_error(request, status, message, headers)


def is_outage(error: Exception) -> bool:
    """The database is unreachable, restarting, or the pool is exhausted: worth retrying."""
    if isinstance(error, exc.TimeoutError | exc.OperationalError | exc.InterfaceError):
        return True
    return isinstance(error, exc.DBAPIError) and error.connection_invalidated


def database_error(request: Request, error: Exception) -> Response:
    if not is_outage(error):
        return unexpected_error(request, error)
    log.warning("database unavailable: %s", type(error).__name__)
    return error_response(request, 503, OUTAGE_MESSAGE, {"Retry-After": OUTAGE_RETRY_AFTER})


def unexpected_error(request: Request, error: Exception) -> Response:
    log.error("unhandled error on %s", request.url.path, exc_info=error)
    return error_response(request, 500, "Something went wrong on our side; it has been logged")


def install(app: FastAPI) -> None:
    app.add_exception_handler(exc.SQLAlchemyError, database_error)
    app.add_exception_handler(Exception, unexpected_error)
