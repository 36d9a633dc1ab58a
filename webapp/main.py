"""The ASGI app: JSON API at the contract's paths, HTML pages beside it."""

import gc
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import Depends, FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from webapp import (
    api,
    bodysize,
    crud,
    csrf,
    docs,
    failures,
    headers,
    health,
    hosts,
    jobs,
    mastodon,
    ratelimit,
    sqlcount,
    web,
)
from webapp.concurrency import ConcurrencyLimit
from webapp.config import ROOT, settings
from webapp.db import engine
from webapp.media import serving as media_serving
from webapp.web.responses import error_response, is_api_path


@asynccontextmanager
async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
    # What is loaded by now (modules, routes, the ORM) lives as long as the process: freeze
    # it out of the garbage collector's sight. Otherwise every full collection re-scans it
    # all, a 75-90 ms stop of the worker every few seconds under load, found in p99s
    # (BENCHMARKS.md); frozen, a full collection takes 2-8 ms.
    gc.collect()
    gc.freeze()
    async with jobs.worker_in_app(), jobs.publish_loop():
        yield


app = FastAPI(
    lifespan=lifespan,
    title="Chirp",
    summary="A small, self-hostable Twitter.",
    description="The JSON API. Use **Authorize** with your email and password to post and like.",
    # Every cookie-driven state change needs a CSRF token; the bearer API paths are exempt.
    dependencies=[Depends(csrf.protect)],
    docs_url=None,  # served by webapp.docs from our own origin, under the CSP
    redoc_url=None,
)
app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
app.include_router(api.router)
app.include_router(web.router)
media_serving.install(app)  # /media/: uploaded images (issue 16)

# Hardening (issue 4): security headers, rate limits, outage/bug handlers, /healthz, /docs.
app.add_middleware(bodysize.BodySizeLimit)
app.add_middleware(headers.SecurityHeaders)
ratelimit.install(app)
failures.install(app)
app.include_router(health.router)
app.include_router(docs.router)

# Statement counting (webapp/sqlcount.py): X-SQL-Statements when SQL_COUNT_HEADER is on.
sqlcount.listen(engine)
app.add_middleware(sqlcount.SQLCountMiddleware, enabled=lambda: settings.sql_count_header)
# A few requests at a time per worker: more req/s and shorter tails (MAX_CONCURRENT_REQUESTS).
app.add_middleware(ConcurrencyLimit, limit=settings.max_concurrent_requests)
# Outermost: a request for a host we do not serve is refused before anything else (issue 12).
app.add_middleware(hosts.TrustedHosts)


@app.exception_handler(crud.NotFound)
def not_found(request: Request, error: crud.NotFound) -> Response:
    return error_response(request, 404, error.message)


class AsciiJSONResponse(JSONResponse):
    # A 422 echoes the bad input back; ASCII escapes keep a lone surrogate from
    # making the error response itself unencodable (a 500).
    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode()


@app.exception_handler(RequestValidationError)
def validation_error(request: Request, error: RequestValidationError) -> Response:
    if not is_api_path(request.url.path):  # a mangled page URL or form: a page, not JSON
        if any(part["loc"][0] == "path" for part in error.errors()):
            return error_response(request, 404, "There is no page at this address.")
        return error_response(request, 422, "That address or form has a value Chirp can't use.")
    return AsciiJSONResponse({"detail": jsonable_encoder(error.errors())}, status_code=422)


# --- Errors for people (webapp/web/responses.py): the API keeps {"detail": ...} JSON, with the
# error's headers (Allow on 405, WWW-Authenticate on 401); pages get templates/error.html.
@app.exception_handler(StarletteHTTPException)
def http_error(request: Request, error: StarletteHTTPException) -> Response:
    return error_response(request, error.status_code, str(error.detail), error.headers)


@app.exception_handler(crud.DomainError)
def domain_error(request: Request, error: crud.DomainError) -> Response:
    code = 403 if isinstance(error, crud.Forbidden) else 400
    return error_response(request, code, error.message)


# The Mastodon client API (issue 6): /api/v1/* and /oauth/*. Last, for its /api/v1/ 404.
app.include_router(mastodon.router)
