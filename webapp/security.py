"""Password hashing and opaque credentials. No request or template in here."""

import hashlib
import secrets

from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher

# argon2id at OWASP's baseline (m=19 MiB, t=2, p=1). pwdlib flags hashes made with
# other parameters, so a login can upgrade them in place.
password_hash = PasswordHash((Argon2Hasher(memory_cost=19456, time_cost=2, parallelism=1),))

# Verified against when the email is unknown, so a miss costs as long as a wrong password.
DUMMY_HASH = password_hash.hash("not-a-real-password-just-for-timing")


def hash_password(password: str) -> str:
    return password_hash.hash(password)


def verify_password(password: str, hashed: str) -> tuple[bool, str | None]:
    """Return (matches, new_hash_if_parameters_changed)."""
    # surrogatepass: a lone surrogate typed at login is just a wrong password, not a 500.
    return password_hash.verify_and_update(password.encode("utf-8", "surrogatepass"), hashed)


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
