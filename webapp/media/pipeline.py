"""Untrusted bytes in, clean images out.

The type is what Pillow can decode, never the file's name or declared content type. Every
image is decoded, turned upright (EXIF orientation), and re-encoded from its pixels alone,
so no metadata survives: no EXIF, no GPS, no XMP, no comments, no colour profile. The
pixel count is checked from the header before anything is decoded (a decompression bomb
is refused without allocating it), and a truncated file fails its decode.
"""

import io
import threading
import warnings
from dataclasses import dataclass

from PIL import Image, ImageOps, UnidentifiedImageError

from webapp.config import settings
from webapp.media import blurhash, memory
from webapp.media.errors import FileTooLarge, MediaError, NotAnImage

FORMATS = ["JPEG", "PNG", "WEBP", "GIF"]
ORIGINAL_MAX = 4096  # px on the long side
PREVIEW_MAX = 640
AVATAR_SIZE = (400, 400)
HEADER_SIZE = (1500, 500)
# 50 megapixels: more than any phone camera's photo; a bigger "image" is refused unread.
MAX_PIXELS = 50_000_000
JPEG_QUALITY = 85

# Pillow's own bomb check (a warning past MAX_IMAGE_PIXELS, an error at twice it) backs
# ours up for anything that reaches decoding by another path.
Image.MAX_IMAGE_PIXELS = MAX_PIXELS


@dataclass(frozen=True)
class Encoded:
    data: bytes
    extension: str  # "jpg" or "png"
    content_type: str
    width: int
    height: int


@dataclass(frozen=True)
class Processed:
    original: Encoded
    preview: Encoded
    blurhash: str


def decode(data: bytes, max_bytes: int) -> Image.Image:
    """The upright first frame of an image, in RGB or RGBA, or a MediaError."""
    if len(data) > max_bytes:
        raise FileTooLarge(f"That file is over the {max_bytes // (1024 * 1024)} MB limit")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            _check_size(image)
            image.seek(0)  # the first frame of an animated GIF or WebP
            image.load()
            return _upright(image)
    except MediaError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        raise _too_many_pixels() from error
    except UnidentifiedImageError as error:
        raise NotAnImage() from error
    except (OSError, ValueError, SyntaxError, EOFError) as error:
        # How Pillow reports a truncated or corrupt file.
        raise NotAnImage("That image is damaged or incomplete; Chirp can't read it") from error


def _check_size(image: Image.Image) -> None:
    width, height = image.size
    if width < 1 or height < 1:
        raise NotAnImage()
    if width * height > MAX_PIXELS:
        raise _too_many_pixels()


def _too_many_pixels() -> MediaError:
    return MediaError(f"That image has too many pixels (the limit is {MAX_PIXELS // 10**6} MP)")


def _upright(image: Image.Image) -> Image.Image:
    """Apply the EXIF orientation, then keep only the pixels, in a mode we can encode.
    In place and without a needless convert: each copy of a 12 MP photo is 36 MB."""
    ImageOps.exif_transpose(image, in_place=True)
    has_alpha = image.mode in ("RGBA", "LA", "PA") or "transparency" in image.info
    mode = "RGBA" if has_alpha else "RGB"
    clean = image if image.mode == mode else image.convert(mode)
    clean.info = {}  # nothing of the upload's metadata goes on to the encoder
    return clean


def encode(image: Image.Image) -> Encoded:
    """JPEG for opaque images, PNG where transparency must survive; no metadata either way."""
    buffer = io.BytesIO()
    if image.mode == "RGBA":
        image.save(buffer, "PNG", optimize=False)
        extension, content_type = "png", "image/png"
    else:
        # Baseline JPEG: optimize/progressive cost 10x the encoding time (1.8 s vs 0.2 s
        # for 12 MP, bench/media.py) for a few percent fewer bytes.
        image.save(buffer, "JPEG", quality=JPEG_QUALITY)
        extension, content_type = "jpg", "image/jpeg"
    return Encoded(buffer.getvalue(), extension, content_type, image.width, image.height)


def _fit_within(image: Image.Image, longest: int) -> Image.Image:
    if max(image.size) <= longest:
        return image
    copy = image.copy()
    # reducing_gap: a cheap integer reduce first, then Lanczos over a quarter of the pixels.
    copy.thumbnail((longest, longest), Image.Resampling.LANCZOS, reducing_gap=2.0)
    return copy


# Decoded images are big (a 12 MP photo is 36 MB a copy, ~100 MB at the peak of its
# processing); uploads beyond this many per process wait their turn holding only their
# compressed bytes, so memory stays bounded however many arrive at once (bench/media.py).
_slots = threading.BoundedSemaphore(settings.media_processing_slots)
memory.return_big_blocks()  # and freed images go back to the system (webapp/media/memory.py)


def process_post_image(data: bytes, max_bytes: int) -> Processed:
    """An image for a post: the original (at most 4096 px), a preview (640 px), a blurhash."""
    with _slots:
        image = decode(data, max_bytes)
        original = _fit_within(image, ORIGINAL_MAX)
        preview = _fit_within(original, PREVIEW_MAX)
        return Processed(encode(original), encode(preview), blurhash.encode(preview))


def process_avatar(data: bytes, max_bytes: int) -> Encoded:
    """Cropped to a centred square of 400 px."""
    with _slots:
        image = decode(data, max_bytes)
        return encode(ImageOps.fit(image, AVATAR_SIZE, Image.Resampling.LANCZOS))


def process_header(data: bytes, max_bytes: int) -> Encoded:
    """Cropped to the 3:1 banner, 1500x500 px."""
    with _slots:
        image = decode(data, max_bytes)
        return encode(ImageOps.fit(image, HEADER_SIZE, Image.Resampling.LANCZOS))
