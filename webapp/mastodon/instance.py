"""GET /api/v1/instance: what a client reads before signing in."""

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request

from webapp.config import settings
from webapp.crud import media as crud_media
from webapp.crud import polls, push, statuses
from webapp.crud.people import BIO_MAX, DISPLAY_NAME_MAX
from webapp.crud.profiles import FIELD_NAME_MAX, FIELD_VALUE_MAX, MAX_FIELDS
from webapp.deps import SessionDep
from webapp.mastodon.errors import MastodonRoute
from webapp.mastodon.paging import base_url
from webapp.mastodon.serializers import AVATAR_PATH
from webapp.media import pipeline
from webapp.models import POLL_OPTION_MAX, TWEET_MAX_CHARS

# Clients gate features on this (grouped notifications need 4.3); NodeInfo repeats it.
MASTODON_VERSION = "4.3.0"
# Mastodon 4.3's own API revision number, which clients read instead of parsing `version`.
API_VERSIONS = {"mastodon": 2}
SOFTWARE_VERSION = "0.1.0"
VERSION = f"{MASTODON_VERSION} (compatible; Chirp {SOFTWARE_VERSION})"


def registrations_open() -> bool:
    """Whether anyone may sign up (at /signup or POST /users/): REGISTRATIONS."""
    return settings.registrations != "closed"


router = APIRouter(route_class=MastodonRoute)


@router.get("/api/v1/instance")
@router.get("/api/v1/instance/")  # Mastodon.py asks with the slash
def instance(request: Request, session: SessionDep) -> dict[str, Any]:
    host = urlsplit(base_url(request)).netloc
    return {
        "uri": host,
        "title": "Chirp",
        "short_description": "A small, self-hosted Twitter.",
        "description": "A small, self-hosted Twitter.",
        "email": "",
        "version": VERSION,
        "urls": {"streaming_api": streaming_url(request)},
        "stats": statuses.instance_stats(session),
        "thumbnail": None,
        "languages": ["en"],
        "registrations": registrations_open(),
        "approval_required": settings.registrations == "approval",
        "invites_enabled": False,
        "configuration": {
            "statuses": _statuses_configuration(),
            "media_attachments": _media_configuration(),
            "polls": POLLS,
        },
        "contact_account": None,
        "rules": [],
    }


def streaming_url(request: Request) -> str:
    """The WebSocket base clients connect to (they add /api/v1/streaming): this server, at
    its public address (PUBLIC_URL), never a Host header of the client's choosing."""
    parts = urlsplit(base_url(request))
    return f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}"


@router.get("/api/v2/instance")
@router.get("/api/v2/instance/")
def instance_v2(request: Request, session: SessionDep) -> dict[str, Any]:
    """Clients that see 4.x ask for v2 first (Mastodon.py's instance() does)."""
    v1 = instance(request, session)
    return {
        "domain": v1["uri"],
        "title": v1["title"],
        "version": VERSION,
        "source_url": "",
        "description": v1["description"],
        "usage": {"users": {"active_month": v1["stats"]["user_count"]}},
        "thumbnail": _thumbnail(f"{base_url(request)}{AVATAR_PATH}"),
        "icon": [],
        "languages": v1["languages"],
        "configuration": _configuration_v2(
            v1["urls"]["streaming_api"], push.vapid_keys(session).public_key
        ),
        "registrations": {
            "enabled": v1["registrations"],
            "approval_required": v1["approval_required"],
            "message": None,
            "url": None,
            "min_age": None,
            "reason_required": False,
        },
        "api_versions": API_VERSIONS,
        "contact": {"email": "", "account": None},
        "rules": [],
    }


def _thumbnail(url: str) -> dict[str, Any]:
    return {"url": url, "blurhash": None, "versions": {"@1x": url, "@2x": url}, "description": ""}


def _configuration_v2(streaming: str, vapid_key: str) -> dict[str, Any]:
    """Every limit a 4.3 client reads before it offers a feature; polls and translation
    are not there yet, so a client that checks `max_options` or `enabled` offers none."""
    return {
        "urls": {"streaming": streaming, "status": None},
        "vapid": {"public_key": vapid_key},  # what Web Push is signed with
        "accounts": {
            "max_featured_tags": 0,
            "max_pinned_statuses": 0,
            "max_display_name_length": DISPLAY_NAME_MAX,
            "max_note_length": BIO_MAX,
            "max_profile_fields": MAX_FIELDS,
            "profile_field_name_limit": FIELD_NAME_MAX,
            "profile_field_value_limit": FIELD_VALUE_MAX,
        },
        "statuses": _statuses_configuration(),
        "media_attachments": _media_configuration(),
        "polls": POLLS,
        "translation": {"enabled": False},
    }


# Apps offer a poll within these bounds (webapp/crud/polls.py).
POLLS = {
    "max_options": polls.MAX_OPTIONS,
    "max_characters_per_option": POLL_OPTION_MAX,
    "min_expiration": polls.MIN_EXPIRES,
    "max_expiration": polls.MAX_EXPIRES,
}


def _statuses_configuration() -> dict[str, Any]:
    return {
        "max_characters": TWEET_MAX_CHARS,
        "max_media_attachments": crud_media.MAX_PER_POST,
        "characters_reserved_per_url": 0,
    }


def _media_configuration() -> dict[str, Any]:
    """Images only (no video or audio yet): what the Pillow pipeline decodes, its limits."""
    return {
        "supported_mime_types": ["image/jpeg", "image/png", "image/webp", "image/gif"],
        "image_size_limit": settings.media_max_bytes,
        "image_matrix_limit": pipeline.MAX_PIXELS,
        "video_size_limit": 0,
        "video_frame_rate_limit": 0,
        "video_matrix_limit": 0,
        "description_limit": crud_media.DESCRIPTION_MAX,
    }
