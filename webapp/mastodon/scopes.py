"""OAuth scopes and redirect URIs, checked the way Mastodon checks them."""

import re
import unicodedata
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from webapp.mastodon.deps import allows
from webapp.mastodon.errors import MastodonError

OOB = "urn:ietf:wg:oauth:2.0:oob"
_SCOPE = re.compile(r"^(read|write|follow|push|profile|(read|write):[a-z_]{1,30})$")
# Schemes a browser would run or read locally: never a place to send a code.
_BANNED_SCHEMES = {"javascript", "data", "vbscript", "file", "blob"}
# host[:port], no user-info: what CSP's form-action can name.
# Control, format, surrogate and separator characters: never part of a URI.
_HIDDEN = frozenset({"Cc", "Cf", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"})
_HOST = re.compile(r"[A-Za-z0-9.\-]+(:\d{1,5})?|\[[0-9A-Fa-f:.]+\](:\d{1,5})?")


def parse_scopes(raw: str | None, default: str = "read") -> list[str]:
    scopes = (raw or default).split()
    bad = [scope for scope in scopes if not _SCOPE.match(scope)]
    if bad or not scopes:
        raise MastodonError(400, "invalid_scope", "The requested scope is invalid or unknown")
    return list(dict.fromkeys(scopes))


def ensure_granted(requested: list[str], app_scopes: str) -> str:
    granted = frozenset(app_scopes.split())
    if not all(allows(granted, scope) for scope in requested):
        raise MastodonError(400, "invalid_scope", "The app was not registered with these scopes")
    return " ".join(requested)


def parse_redirect_uris(raw: object) -> list[str]:
    """A newline-separated string (Mastodon's form) or a list, one URI per element."""
    if isinstance(raw, str) or not raw:
        values: list[object] = list(str(raw or OOB).split())
    else:
        values = raw if isinstance(raw, list) else [raw]
    uris = [_one_uri(value) for value in values]
    uris = [uri for uri in uris if uri]
    if not uris or not all(_valid_redirect(uri) for uri in uris):
        raise MastodonError(422, "Validation failed: Redirect URI must be an absolute URI.")
    return uris


def _one_uri(value: object) -> str:
    """One element, refused if anything hides inside it. Stored URIs are joined by newlines,
    so a newline inside one would register a second, unchecked URI; urlsplit silently drops
    tabs and newlines; NUL and lone surrogates cannot be stored."""
    if not isinstance(value, str):
        raise MastodonError(422, "Validation failed: Redirect URI must be a string.")
    uri = value.strip()
    if any(char.isspace() or unicodedata.category(char) in _HIDDEN for char in uri):
        raise MastodonError(
            422, "Validation failed: Redirect URI must not contain spaces or control characters."
        )
    return uri


def _valid_redirect(uri: str) -> bool:
    if uri == OOB:
        return True
    try:
        parts = urlsplit(uri)
    except ValueError:
        return False
    scheme = parts.scheme.lower()
    if scheme in ("http", "https") and not _HOST.fullmatch(parts.netloc):
        return False  # also keeps `;` or quotes out of the consent page's CSP header
    return bool(scheme) and scheme not in _BANNED_SCHEMES and not parts.fragment


def with_query(uri: str, **params: str) -> str:
    parts = urlsplit(uri)
    query = parse_qsl(parts.query, keep_blank_values=True) + list(params.items())
    return urlunsplit(parts._replace(query=urlencode(query)))


def csp_origin(uri: str) -> str:
    """What CSP's form-action needs so the browser may follow our redirect to this URI."""
    if uri == OOB:
        return ""
    parts = urlsplit(uri)
    if parts.scheme in ("http", "https"):
        return f"{parts.scheme}://{parts.netloc}"
    return f"{parts.scheme}:"
