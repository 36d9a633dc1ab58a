"""What a card or a status shows of a post's images, kept on the tweet row (Tweet.media).

A plain dict per image, in the order they were attached, with storage keys (not URLs:
the serving address may change). Built once when the post is made.
"""

from typing import Any, NamedTuple

from webapp.media import storage
from webapp.models import MediaAttachment


def summary(media: MediaAttachment) -> dict[str, Any]:
    return {
        "id": media.id,
        "original_key": media.original_key,
        "preview_key": media.preview_key,
        "width": media.width,
        "height": media.height,
        "preview_width": media.preview_width,
        "preview_height": media.preview_height,
        "description": media.description,
        "blurhash": media.blurhash,
        "focus": [media.focus_x, media.focus_y],
    }


class CardImage(NamedTuple):
    """One image on a tweet card: hashable, so it can be part of the card cache's key."""

    url: str
    preview_url: str
    width: int
    height: int
    description: str


def card_images(media: list[dict[str, Any]] | None) -> tuple[CardImage, ...]:
    return tuple(
        CardImage(
            storage.storage().url(item["original_key"]),
            storage.storage().url(item["preview_key"]),
            item["preview_width"],
            item["preview_height"],
            item["description"],
        )
        for item in media or ()
    )
