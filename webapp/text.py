"""Tweet text to safe HTML: everything escaped, then links, @mentions and #tags made anchors.

The stored text is never altered; this runs where HTML shows it (pages, and the Mastodon
API's `content`). Only http(s) URLs become links, so `javascript:` stays plain text.
"""

import re
from collections.abc import Container

from markupsafe import Markup, escape

PROFILE_PATH = "/@{username}"
TAG_PATH = "/tags/{tag}"

_TOKEN = re.compile(
    r"(?P<url>https?://[^\s<>\"']+[^\s<>\"'.,:;!?)\]])"
    r"|(?<![\w@/])@(?P<mention>[A-Za-z0-9_]{1,30})\b"
    r"|(?<![\w&/#])#(?P<tag>[^\W_][\w]{0,99})"
)


def linkify(text: str, mentions: Container[str] | None = None) -> Markup:
    """`mentions`, when given, holds the lower-cased handles that belong to someone: any
    other @handle stays plain text instead of linking to a page that does not exist."""
    parts: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        parts.append(escape(text[last : match.start()]))
        mention = match.group("mention")
        unknown = mention and mentions is not None and mention.lower() not in mentions
        parts.append(escape(match.group(0)) if unknown else _anchor(match))
        last = match.end()
    parts.append(escape(text[last:]))
    return Markup("".join(parts))


def _anchor(match: re.Match[str]) -> str:
    if url := match.group("url"):
        return f'<a href="{escape(url)}" rel="nofollow noopener noreferrer ugc">{escape(url)}</a>'
    if mention := match.group("mention"):
        href = PROFILE_PATH.format(username=mention.lower())
        return f'<a href="{escape(href)}" class="mention">@{escape(mention)}</a>'
    tag = match.group("tag")
    return (
        f'<a href="{escape(TAG_PATH.format(tag=tag.lower()))}" class="hashtag">#{escape(tag)}</a>'
    )


def hashtags(text: str) -> set[str]:
    """The #tags linkify would link, lower-cased: what /tags/{tag} lists."""
    return {m.group("tag").lower() for m in _TOKEN.finditer(text) if m.group("tag")}
