"""Media: upload an image (v1 and v2), read it, describe it before posting (issue 16).

Processing is synchronous and quick (well under a second for a 12 MP photo, BENCHMARKS.md),
so v2 answers 200 with the URL ready, as Mastodon does for small images.
"""

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Request
from starlette.datastructures import UploadFile

from webapp.config import settings
from webapp.crud import media as crud_media
from webapp.deps import SessionDep
from webapp.hosts import public_base
from webapp.mastodon.body import Params, plain, text_param
from webapp.mastodon.deps import user_with_scope
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.media import storage
from webapp.media.errors import MediaError
from webapp.media.summary import summary
from webapp.models import User

router = APIRouter(route_class=MastodonRoute)
MediaId = Path(ge=1, le=2**62)
WriteMedia = Annotated[User, Depends(user_with_scope("write:media"))]


def absolute(url: str, base_url: str) -> str:
    """Local storage serves /media/...: clients need the whole address."""
    return base_url.rstrip("/") + url if url.startswith("/") else url


def _size(width: int, height: int) -> dict[str, Any]:
    return {"width": width, "height": height, "size": f"{width}x{height}", "aspect": width / height}


def attachment(item: dict[str, Any], base_url: str) -> dict[str, Any]:
    """A MediaAttachment from an image's summary (webapp/media/summary.py)."""
    focus_x, focus_y = item.get("focus") or (0.0, 0.0)
    return {
        "id": str(item["id"]),
        "type": "image",
        "url": absolute(storage.storage().url(item["original_key"]), base_url),
        "preview_url": absolute(storage.storage().url(item["preview_key"]), base_url),
        "remote_url": None,
        "preview_remote_url": None,
        "text_url": None,
        "meta": {
            "original": _size(item["width"], item["height"]),
            "small": _size(item["preview_width"], item["preview_height"]),
            "focus": {"x": focus_x, "y": focus_y},
        },
        "description": item["description"] or None,
        "blurhash": item["blurhash"],
    }


def media_error(error: MediaError) -> MastodonError:
    return MastodonError(error.status, f"Validation failed: {error.message}")


def read_file(value: object, name: str) -> bytes:
    """The uploaded file's bytes, at most one past the cap (the pipeline then refuses it)."""
    if not isinstance(value, UploadFile):
        raise MastodonError(422, f"Validation failed: {name} must be a file upload")
    return value.file.read(settings.media_max_bytes + 1)


def focus_param(values: dict[str, Any]) -> tuple[float, float] | None:
    raw = text_param(values, "focus")
    if raw is None:
        return None
    try:
        x, y = (float(part) for part in raw.split(","))
    except ValueError as error:
        raise MastodonError(422, "Validation failed: focus must be two numbers, x,y") from error
    return x, y


@router.post("/api/v1/media")
@router.post("/api/v2/media")
def upload(request: Request, session: SessionDep, values: Params, me: WriteMedia) -> dict[str, Any]:
    data = read_file(values.get("file"), "file")
    description = plain(values.get("description") or "", "description", status=422)
    focus = focus_param(values)
    try:
        item = crud_media.upload(session, owner_id=me.id, data=data, description=description)
        if focus is not None:
            item = crud_media.describe(session, media_id=item.id, owner_id=me.id, focus=focus)
    except MediaError as error:
        raise media_error(error) from error
    return attachment(summary(item), public_base(request))


@router.get("/api/v1/media/{media_id}")
def get_media(
    request: Request, session: SessionDep, me: WriteMedia, media_id: int = MediaId
) -> dict[str, Any]:
    item = crud_media.get_own_media(session, media_id=media_id, owner_id=me.id)
    return attachment(summary(item), public_base(request))


@router.put("/api/v1/media/{media_id}")
def update_media(
    request: Request,
    session: SessionDep,
    values: Params,
    me: WriteMedia,
    media_id: int = MediaId,
) -> dict[str, Any]:
    description = values.get("description")
    if description is not None:
        description = plain(str(description), "description", status=422)
    try:
        item = crud_media.describe(
            session,
            media_id=media_id,
            owner_id=me.id,
            description=description,
            focus=focus_param(values),
        )
    except MediaError as error:
        raise media_error(error) from error
    return attachment(summary(item), public_base(request))
