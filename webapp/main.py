"""The ASGI app: JSON API at the contract's paths, HTML pages beside it."""

import json
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from webapp import api, crud, mastodon
from webapp.config import ROOT

app = FastAPI(
    title="Chirp",
    summary="A small, self-hostable Twitter.",
    description="The JSON API. Use **Authorize** with your email and password to post and like.",
)
app.mount("/static", StaticFiles(directory=ROOT / "static"), name="static")
app.include_router(api.router)


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


# The Mastodon client API (issue 6): /api/v1/* and /oauth/*. Last, for its /api/v1/ 404.
app.include_router(mastodon.router)
