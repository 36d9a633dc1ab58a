"""The consent page's CSRF token, until the app-wide check (branch frontend) replaces it.

A random cookie set with the page; the form carries an HMAC of it under SECRET_KEY. A
cross-site form cannot read the cookie, so it cannot produce the matching token.
"""

import hashlib
import hmac

from fastapi import Request, Response

from webapp.config import settings
from webapp.security import new_token

COOKIE = "chirp_consent"


def _seed(request: Request) -> str:
    seed = getattr(request.state, "consent_seed", None) or request.cookies.get(COOKIE)
    if not seed:
        seed = request.state.consent_seed = new_token()
    return str(seed)


def consent_csrf_token(request: Request) -> str:
    key = settings.secret_key.encode()
    return hmac.new(key, b"oauth-consent:" + _seed(request).encode(), hashlib.sha256).hexdigest()


def csrf_ok(request: Request, submitted: str) -> bool:
    if not request.cookies.get(COOKIE):
        return False
    return hmac.compare_digest(submitted.encode(), consent_csrf_token(request).encode())


def set_cookie(request: Request, response: Response) -> None:
    """Send the seed if this request made a new one (the browser had none)."""
    seed = getattr(request.state, "consent_seed", None)
    if seed:
        response.set_cookie(
            COOKIE, seed, httponly=True, samesite="lax", secure=settings.session_cookie_secure
        )
