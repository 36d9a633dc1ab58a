"""The image pipeline on real images: metadata gone, orientation applied, sizes bounded,
and anything that is not a readable image refused before a byte is stored."""

import io

import pytest
from PIL import Image

from tests import images
from webapp.media import blurhash, pipeline
from webapp.media.errors import FileTooLarge, MediaError, NotAnImage

LIMIT = 10 * 1024 * 1024


def reopen(data: bytes) -> Image.Image:
    return Image.open(io.BytesIO(data))


def test_a_photo_with_gps_comes_back_with_no_metadata_at_all():
    result = pipeline.process_post_image(images.photo_with_gps(), LIMIT)
    for encoded in (result.original, result.preview):
        clean = reopen(encoded.data)
        assert clean.format == "JPEG"
        assert dict(clean.getexif()) == {}
        assert not {"exif", "icc_profile", "comment", "xmp"} & set(clean.info)
        assert b"SpyCam" not in encoded.data and b"taken at home" not in encoded.data


def test_a_sideways_photo_comes_back_upright():
    result = pipeline.process_post_image(images.sideways_photo(), LIMIT)
    upright = reopen(result.original.data).convert("RGB")
    assert upright.size == (100, 200)  # portrait now
    red, _, blue = upright.getpixel((50, 20))  # type: ignore[misc]
    assert red > 200 and blue < 60
    red, _, blue = upright.getpixel((50, 180))  # type: ignore[misc]
    assert blue > 200 and red < 60


def test_big_images_are_bounded_and_get_a_640px_preview():
    result = pipeline.process_post_image(images.jpeg((5000, 2500)), LIMIT)
    assert (result.original.width, result.original.height) == (4096, 2048)
    assert (result.preview.width, result.preview.height) == (640, 320)
    assert reopen(result.preview.data).size == (640, 320)


def test_a_small_image_keeps_its_size():
    result = pipeline.process_post_image(images.png((300, 200)), LIMIT)
    assert reopen(result.original.data).size == (300, 200)
    assert result.preview.width == 300


def test_transparency_survives_as_png_and_webp_is_accepted():
    result = pipeline.process_post_image(images.webp(), LIMIT)
    clean = reopen(result.original.data)
    assert clean.format == "PNG" and clean.mode == "RGBA"
    assert clean.getpixel((1, 1))[3] == 128  # type: ignore[index]


def test_an_animated_gif_gives_its_first_frame():
    result = pipeline.process_post_image(images.animated_gif(), LIMIT)
    frame = reopen(result.original.data).convert("RGB")
    assert frame.getpixel((5, 5)) == pytest.approx((0, 128, 0), abs=8)  # green, not yellow


def test_the_blurhash_is_the_images_average_colour():
    result = pipeline.process_post_image(images.png((200, 120), "#3366cc"), LIMIT)
    assert len(result.blurhash) == 28  # 4x3 components
    assert blurhash.average_colour(result.blurhash) == pytest.approx((0x33, 0x66, 0xCC), abs=2)


def test_avatars_are_400px_squares_and_headers_1500_by_500():
    assert reopen(pipeline.process_avatar(images.jpeg((900, 300)), LIMIT).data).size == (400, 400)
    header = pipeline.process_header(images.png((800, 800)), LIMIT)
    assert (header.width, header.height) == (1500, 500)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (images.bomb(), MediaError),
        (b"I am a text file, renamed to cat.png", NotAnImage),
        (images.truncated_png(), NotAnImage),
        (b"", NotAnImage),
        (b"GIF89a" + b"\0" * 20, NotAnImage),  # a header and nothing else
    ],
    ids=["bomb", "text", "truncated", "empty", "header-only"],
)
def test_what_is_not_a_readable_image_is_refused(data: bytes, error: type[MediaError]):
    with pytest.raises(error) as refused:
        pipeline.process_post_image(data, LIMIT)
    assert refused.value.status == 422 and refused.value.message


def test_a_file_over_the_cap_is_refused_before_decoding():
    with pytest.raises(FileTooLarge) as refused:
        pipeline.process_post_image(images.jpeg((100, 100)), max_bytes=100)
    assert refused.value.status == 413
