"""Reading images from the web forms (issue 16): the composer's four file inputs with their
alt texts, and the profile editor's pictures."""

from collections.abc import Sequence

from starlette.datastructures import UploadFile

from webapp.config import settings
from webapp.crud.media import Upload

# An empty file input arrives as "" (Starlette turns a part with no file name into text).
FileInput = UploadFile | str | None


def chosen(file: FileInput) -> bytes | None:
    """The bytes of a file input, or None when nothing was chosen.
    Reads at most one byte past the cap: the pipeline then refuses it as too large."""
    if not isinstance(file, UploadFile) or not file.filename:
        return None
    data = file.file.read(settings.media_max_bytes + 1)
    return data or None


def compose_uploads(images: Sequence[FileInput], alts: Sequence[str]) -> list[Upload]:
    """The chosen images, each with the alt text typed beside it (same position)."""
    uploads = []
    for index, file in enumerate(images):
        data = chosen(file)
        if data is not None:
            alt = alts[index] if index < len(alts) else ""
            uploads.append(Upload(data, alt))
    return uploads
