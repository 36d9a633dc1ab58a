"""Local media at /media/: plain files, cached for a year (their keys are never reused)."""

from fastapi import FastAPI
from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from webapp.config import settings
from webapp.media.storage import CACHE_CONTROL, LOCAL_PREFIX

MEDIA_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"


class MediaFiles(StaticFiles):
    async def get_response(self, path: str, scope: Scope) -> Response:
        response = await super().get_response(path, scope)
        if response.status_code == 200:
            response.headers["Cache-Control"] = CACHE_CONTROL
            # An uploaded file is shown, never run: no scripts, its own sandbox. Chromium's
            # image viewer styles the page inline, hence style-src.
            response.headers["Content-Security-Policy"] = MEDIA_CSP
        return response


def install(app: FastAPI) -> None:
    """Serve MEDIA_ROOT unless the files live in a bucket (then the bucket serves them)."""
    if settings.media_s3_bucket:
        return
    settings.media_root.mkdir(parents=True, exist_ok=True)
    app.mount(LOCAL_PREFIX.rstrip("/"), MediaFiles(directory=settings.media_root), name="media")
