"""Tweet text to safe HTML: everything escaped, then links, @mentions and #tags made anchors.

The stored text is never altered; this runs where HTML shows it (pages, and the Mastodon
API's `content`). Only http(s) URLs become links, so `javascript:` stays plain text.
"""

import re
import unicodedata
from collections.abc import Container, Iterable

from markupsafe import Markup, escape

PROFILE_PATH = "/@{username}"
TAG_PATH = "/tags/{tag}"

_TOKEN = re.compile(
    r"(?P<url>https?://[^\s<>\"']+[^\s<>\"'.,:;!?)\]])"
    r"|(?<![\w@/])@(?P<mention>[A-Za-z0-9_]{1,30})\b"
    r"|(?<![\w&/#])#(?P<tag>[^\W_][\w]{0,99})"
)


def linkify(text: str, mentions: Container[str] | None = None, base: str = "") -> Markup:
    """`mentions`, when given, holds the lower-cased handles that belong to someone: any
    other @handle stays plain text instead of linking to a page that does not exist. `base`
    (PUBLIC_URL) makes @handle and #tag links absolute, as Mastodon clients need them."""
    parts: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        parts.append(escape(text[last : match.start()]))
        mention = match.group("mention")
        unknown = mention and mentions is not None and mention.lower() not in mentions
        parts.append(escape(match.group(0)) if unknown else _anchor(match, base.rstrip("/")))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("".join(parts))


def _anchor(match: re.Match[str], base: str) -> str:
    if url := match.group("url"):
        return f'<a href="{escape(url)}" rel="nofollow noopener noreferrer ugc">{escape(url)}</a>'
    if mention := match.group("mention"):
        href = base + PROFILE_PATH.format(username=mention.lower())
        return f'<a href="{escape(href)}" class="mention">@{escape(mention)}</a>'
    tag = match.group("tag")
    href = base + TAG_PATH.format(tag=tag.lower())
    return f'<a href="{escape(href)}" class="hashtag">#{escape(tag)}</a>'


def hashtags(text: str) -> set[str]:
    """The #tags linkify would link, lower-cased: what /tags/{tag} lists."""
    return {m.group("tag").lower() for m in _TOKEN.finditer(text) if m.group("tag")}


# --- Visible text (issue 12): a post must show something. Whitespace (U+00A0 included),
# format characters (U+200B, U+2060, U+FEFF, bidi marks), controls and marks with nothing to
# sit on show nothing; so do a few letters that render blank (Hangul fillers, braille blank).
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"})
_BLANK_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")


def has_visible_text(text: str) -> bool:
    """Whether `text` has at least one character a reader would see."""
    return any(
        not char.isspace()
        and char not in _BLANK_LETTERS
        and unicodedata.category(char) not in _INVISIBLE_CATEGORIES
        for char in text
    )


def tag_spelling(texts: Iterable[str], tag: str) -> str:
    """How people write #tag (`Python` for /tags/python), from the first text using it; the
    links stay lower-case (one address per tag), the heading keeps the case people chose."""
    for text in texts:
        for match in _TOKEN.finditer(text):
            if (found := match.group("tag")) and found.lower() == tag.lower():
                return found
    return tag
