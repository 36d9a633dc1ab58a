"""The ASGI app: JSON API at the contract's paths, HTML pages beside it."""

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from webapp import api, crud, sqlcount
from webapp.concurrency import ConcurrencyLimit
from webapp.config import ROOT, settings
from webapp.db import engine

app = FastAPI(
    title="Chirp",
    summary="A small, self-hostable Twitter.",
    description="The JSON API. Use **Authorize** with your email and password to post and like.",
)
app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
app.include_router(api.router)

# Statement counting (webapp/sqlcount.py): X-SQL-Statements when SQL_COUNT_HEADER is on.
sqlcount.listen(engine)
app.add_middleware(sqlcount.SQLCountMiddleware, enabled=lambda: settings.sql_count_header)
# A few requests at a time per worker: more req/s and shorter tails (MAX_CONCURRENT_REQUESTS).
app.add_middleware(ConcurrencyLimit, limit=settings.max_concurrent_requests)


@app.exception_handler(crud.NotFound)
def not_found(_request: Request, error: crud.NotFound) -> JSONResponse:
    return JSONResponse({"detail": error.message}, status_code=404)


class AsciiJSONResponse(JSONResponse):
    # A 422 echoes the bad input back; ASCII escapes keep a lone surrogate from
    # making the error response itself unencodable (a 500).
    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode()


@app.exception_handler(RequestValidationError)
def validation_error(_request: Request, error: RequestValidationError) -> JSONResponse:
    return AsciiJSONResponse({"detail": jsonable_encoder(error.errors())}, status_code=422)
