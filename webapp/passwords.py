"""Password policy: long enough, not absurdly long, and not one everybody else uses.

Pure functions over a string; crud.create_user calls `check` before hashing.
"""

import gzip
from functools import cache

from webapp.config import ROOT

MIN_CHARS = 8
# argon2 hashes the whole password (no bcrypt-style 72-byte cut), so long passphrases
# are kept whole; the cap only stops someone making us hash megabytes.
MAX_CHARS = 1024
# Django's list: 20,000 common passwords, lowercased (licence beside it in webapp/data/).
COMMON_PASSWORDS_FILE = ROOT / "webapp" / "data" / "common-passwords.txt.gz"


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(COMMON_PASSWORDS_FILE, "rt", encoding="utf-8") as lines:
        return frozenset(line.strip() for line in lines if line.strip())


def problem(password: str) -> str | None:
    """Why this password is refused, in plain words; None when it is fine."""
    if len(password) < MIN_CHARS:
        return f"Password must be at least {MIN_CHARS} characters long"
    if len(password) > MAX_CHARS:
        return f"Password must be at most {MAX_CHARS} characters long"
    if password.strip().lower() in common_passwords():
        return "This password is too common; choose one that is harder to guess"
    return None
