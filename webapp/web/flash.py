"""One-request notes carried across a redirect (post/redirect/get), in a signed cookie.

A plain form post answers 303; what the next page must say ("Profile saved.") or keep (a
refused tweet's text and why it was refused) rides in a short-lived cookie, signed under
SECRET_KEY so nobody can plant a message on someone else's page, and read once by the
page it lands on, which deletes it. Nothing is stored server-side.

A note too big for a cookie (a refused tweet of thousands of multi-byte characters) is not
sent: `attach` says so and the caller answers the page directly instead, so nothing typed
is ever lost.
"""

import base64
import hashlib
import hmac
import json
import zlib
from dataclasses import dataclass, field

from fastapi import Request
from starlette.responses import Response

from webapp.config import settings

COOKIE = "chirp_flash"
MAX_AGE = 60  # seconds: the redirect follows at once; a stale note must not turn up later
MAX_COOKIE = 3800  # bytes of value; browsers keep cookies of up to 4096 bytes with the name
_STATE_KEY = "flash_note"


@dataclass(frozen=True)
class Note:
    message: str = ""
    # A refused form's fields and errors, to show again as they were (field name -> text).
    values: dict[str, str] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)


def _mac(payload: str) -> str:
    key = settings.secret_key.encode()
    return hmac.new(key, b"flash:" + payload.encode(), hashlib.sha256).hexdigest()


def _encode(note: Note) -> str:
    raw = json.dumps([note.message, note.values, note.errors], ensure_ascii=False)
    payload = base64.urlsafe_b64encode(zlib.compress(raw.encode("utf-8", "surrogatepass")))
    text = payload.decode()
    return f"{text}.{_mac(text)}"


def _decode(cookie: str) -> Note | None:
    payload, _, mac = cookie.rpartition(".")
    if not payload or not hmac.compare_digest(mac, _mac(payload)):
        return None
    try:
        raw = zlib.decompress(base64.urlsafe_b64decode(payload), bufsize=65536)
        message, values, errors = json.loads(raw.decode("utf-8", "surrogatepass"))
        return Note(str(message), dict(values), dict(errors))
    except (ValueError, TypeError, zlib.error):
        return None


def attach(response: Response, note: Note) -> bool:
    """Put `note` on a redirect; False when it is too big for a cookie (nothing is set)."""
    value = _encode(note)
    if len(value) > MAX_COOKIE:
        return False
    response.set_cookie(
        COOKIE,
        value,
        max_age=MAX_AGE,
        httponly=True,
        samesite="lax",
        secure=settings.session_cookie_secure,
    )
    return True


def read(request: Request) -> Note | None:
    """The note this request brought, if any (read once per request, then cached)."""
    if not hasattr(request.state, _STATE_KEY):
        cookie = request.cookies.get(COOKIE)
        setattr(request.state, _STATE_KEY, _decode(cookie) if cookie else None)
    note: Note | None = getattr(request.state, _STATE_KEY)
    return note


def consume(request: Request, response: Response) -> None:
    """The page that showed the note deletes it, so a reload does not show it again."""
    if COOKIE in request.cookies:
        response.delete_cookie(
            COOKIE, httponly=True, samesite="lax", secure=settings.session_cookie_secure
        )
        response.headers["Cache-Control"] = "no-store"  # the note was for this one view
