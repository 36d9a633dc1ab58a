"""Real images, made with Pillow, for the media tests: photos with EXIF and GPS, rotated
ones, bombs, truncated files."""

import io
import struct
import zlib

from PIL import Image, ImageDraw

ORIENTATION, GPS_INFO = 0x0112, 0x8825


def jpeg(size: tuple[int, int] = (320, 200), colour: str = "orange", **save: object) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", **save)
    return buffer.getvalue()


def png(size: tuple[int, int] = (300, 300), colour: str = "teal", mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "SpyCam"  # Make
    exif[GPS_INFO] = {1: "N", 2: (52.0, 22.0, 7.5), 3: "E", 4: (4.0, 53.0, 2.25)}
    return exif


def photo_with_gps() -> bytes:
    """A camera photo: EXIF with GPS coordinates, a comment and an ICC profile."""
    buffer = io.BytesIO()
    image = Image.new("RGB", (400, 300), "skyblue")
    image.save(buffer, "JPEG", exif=gps_exif(), comment=b"taken at home", icc_profile=b"\0" * 128)
    return buffer.getvalue()


def sideways_photo() -> bytes:
    """Stored landscape (red left, blue right) with EXIF orientation 6: upright, it is a
    portrait with red on top."""
    image = Image.new("RGB", (200, 100), "blue")
    ImageDraw.Draw(image).rectangle((0, 0, 99, 99), fill="red")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=gps_exif(orientation=6), quality=95)
    return buffer.getvalue()


def bomb() -> bytes:
    """A tiny PNG whose header claims 40000x40000 pixels (1.6 gigapixels, 4.8 GB decoded):
    a real small PNG with its IHDR size (and that chunk's CRC) rewritten."""
    data = bytearray(png((8, 8)))
    ihdr = data.index(b"IHDR")
    data[ihdr + 4 : ihdr + 12] = struct.pack(">II", 40000, 40000)
    data[ihdr + 17 : ihdr + 21] = struct.pack(">I", zlib.crc32(bytes(data[ihdr : ihdr + 17])))
    return bytes(data)


def truncated_png() -> bytes:
    data = png((400, 400), "purple")
    noisy = Image.effect_noise((400, 400), 64).convert("RGB")  # compresses poorly: real data
    buffer = io.BytesIO()
    noisy.save(buffer, "PNG")
    data = buffer.getvalue()
    return data[: len(data) // 2]


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (120, 80), colour) for colour in ("green", "yellow", "black")]
    buffer = io.BytesIO()
    frames[0].save(buffer, "GIF", save_all=True, append_images=frames[1:], duration=100)
    return buffer.getvalue()


def webp() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (90, 60), (255, 0, 0, 128)).save(buffer, "WEBP")
    return buffer.getvalue()


def noisy_jpeg(size: tuple[int, int] = (1000, 1000)) -> bytes:
    """A JPEG that compresses poorly (noise), for tests about byte sizes."""
    buffer = io.BytesIO()
    Image.effect_noise(size, 80).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()
