"""VAPID key pairs (RFC 8292) in the form Mastodon keeps them: base64url of the raw P-256
private value (32 bytes) and of the uncompressed public point (65 bytes).

Free of the settings and the database, so webapp/config.py can check a configured pair."""

import base64
import binascii
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


@dataclass(frozen=True)
class KeyPair:
    private_key: str
    public_key: str


def b64decode(value: str) -> bytes:
    """Standard or URL-safe base64, padded or not (Mastodon.py sends the one, browsers the
    other); raises ValueError on anything else."""
    text = value.strip().replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError) as error:
        raise ValueError("not base64") from error


def b64encode(raw: bytes) -> str:
    """URL-safe base64 with its padding, as Mastodon shows `server_key`."""
    return base64.urlsafe_b64encode(raw).decode()


def public_point(private_key: str) -> bytes:
    """The 65-byte public point of a base64url raw private value; ValueError if it is none."""
    raw = b64decode(private_key)
    if len(raw) != 32:
        raise ValueError("a VAPID private key is 32 bytes")
    key = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
    return key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )


def generate() -> KeyPair:
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return KeyPair(b64encode(raw).rstrip("="), b64encode(public_point(b64encode(raw))))


def matches(private_key: str, public_key: str) -> bool:
    try:
        return public_point(private_key) == b64decode(public_key)
    except ValueError:
        return False
