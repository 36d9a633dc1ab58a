"""The ASGI app: JSON API at the contract's paths, HTML pages beside it."""

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from fastapi.staticfiles import StaticFiles

from webapp import api, crud
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
