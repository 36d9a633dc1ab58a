"""BlurHash (https://blurha.sh): a ~28-character placeholder a client paints while loading.

A straight implementation of the reference encoder, run on a 32x32 copy of the image, so it
costs a few milliseconds whatever the upload's size. No package: the few on PyPI are either
unmaintained or need a compiler, and the algorithm is forty lines.
"""

import math

from PIL import Image

_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz#$%*+,-.:;=?@[]^_{|}~"
SAMPLE = 32


def _base83(value: int, length: int) -> str:
    return "".join(_CHARS[(value // 83 ** (length - 1 - i)) % 83] for i in range(length))


def _to_linear(value: int) -> float:
    v = value / 255
    return v / 12.92 if v <= 0.04045 else ((v + 0.055) / 1.055) ** 2.4


def _to_srgb(value: float) -> int:
    v = min(max(value, 0.0), 1.0)
    if v <= 0.0031308:
        return int(v * 12.92 * 255 + 0.5)
    return int((1.055 * v ** (1 / 2.4) - 0.055) * 255 + 0.5)


def _sign_pow(value: float, exp: float) -> float:
    return math.copysign(abs(value) ** exp, value)


def _factors(
    pixels: list[tuple[float, float, float]], x_comp: int, y_comp: int
) -> list[tuple[float, ...]]:
    size = SAMPLE
    factors = []
    for j in range(y_comp):
        for i in range(x_comp):
            norm = (1 if i == 0 and j == 0 else 2) / (size * size)
            xs = [math.cos(math.pi * i * x / size) for x in range(size)]
            total = [0.0, 0.0, 0.0]
            for y in range(size):
                cy = math.cos(math.pi * j * y / size)
                for x in range(size):
                    basis = xs[x] * cy
                    r, g, b = pixels[y * size + x]
                    total[0] += basis * r
                    total[1] += basis * g
                    total[2] += basis * b
            factors.append(tuple(c * norm for c in total))
    return factors


def encode(image: Image.Image, x_comp: int = 4, y_comp: int = 3) -> str:
    small = image.convert("RGB").resize((SAMPLE, SAMPLE), Image.Resampling.BOX)
    raw = small.tobytes()
    linear = [_to_linear(byte) for byte in range(256)]
    pixels = [
        (linear[raw[i]], linear[raw[i + 1]], linear[raw[i + 2]]) for i in range(0, len(raw), 3)
    ]
    dc, *ac = _factors(pixels, x_comp, y_comp)
    text = _base83((x_comp - 1) + (y_comp - 1) * 9, 1)
    largest = max((abs(c) for factor in ac for c in factor), default=0.0)
    quantised = max(0, min(82, int(largest * 166 - 0.5))) if ac else 0
    scale = (quantised + 1) / 166 if ac else 1.0
    text += _base83(quantised, 1)
    text += _base83((_to_srgb(dc[0]) << 16) + (_to_srgb(dc[1]) << 8) + _to_srgb(dc[2]), 4)
    for r, g, b in ac:
        q = [max(0, min(18, int(_sign_pow(c / scale, 0.5) * 9 + 9.5))) for c in (r, g, b)]
        text += _base83(q[0] * 19 * 19 + q[1] * 19 + q[2], 2)
    return text


def average_colour(hash_: str) -> tuple[int, int, int]:
    """The DC term: the image's average sRGB colour (what a test can check)."""
    value = 0
    for char in hash_[2:6]:
        value = value * 83 + _CHARS.index(char)
    return value >> 16, (value >> 8) & 255, value & 255
