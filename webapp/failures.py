"""Failures people see: a database outage is a 503 with Retry-After, a bug a clean 500.

Never a traceback in the body: web.responses.error_response answers JSON on API paths and the
friendly error page elsewhere (the page needs no database, so it renders during an outage).
"""

import logging

from fastapi import FastAPI, Request
from fastapi.responses import Response
from sqlalchemy import exc

from webapp import headers
from webapp.web.responses import error_response

log = logging.getLogger("webapp.failures")

OUTAGE_RETRY_AFTER = "2"  # seconds: the pool reconnects as soon as the database is back
OUTAGE_MESSAGE = "The database is unavailable right now; please try again in a moment"


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
    response = error_response(request, 500, "Something went wrong on our side; it has been logged")
    # Starlette answers an unhandled error outside the middleware stack: add the headers here.
    headers.add_headers(response.headers)
    return response


def install(app: FastAPI) -> None:
    app.add_exception_handler(exc.SQLAlchemyError, database_error)
    app.add_exception_handler(Exception, unexpected_error)
