"""GET /api/v1/instance: what a client reads before signing in."""

from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request

from webapp.config import settings
from webapp.crud import polls, statuses
from webapp.deps import SessionDep
from webapp.mastodon.errors import MastodonRoute
from webapp.mastodon.paging import base_url
from webapp.mastodon.serializers import AVATAR_PATH
from webapp.models import POLL_OPTION_MAX, TWEET_MAX_CHARS

# Clients gate features on this; 4.2.0 is the API level this subset follows.
MASTODON_VERSION = "4.2.0"
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
            "statuses": {
                "max_characters": TWEET_MAX_CHARS,
                "max_media_attachments": 0,
                "characters_reserved_per_url": 0,
            },
            "polls": {  # apps offer a poll within these bounds (webapp/crud/polls.py)
                "max_options": polls.MAX_OPTIONS,
                "max_characters_per_option": POLL_OPTION_MAX,
                "min_expiration": polls.MIN_EXPIRES,
                "max_expiration": polls.MAX_EXPIRES,
            },
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
        "thumbnail": {"url": f"{base_url(request)}{AVATAR_PATH}"},
        "languages": v1["languages"],
        "configuration": v1["configuration"] | {"urls": {"streaming": v1["urls"]["streaming_api"]}},
        "registrations": {
            "enabled": v1["registrations"],
            "approval_required": v1["approval_required"],
            "message": None,
        },
        "contact": {"email": "", "account": None},
        "rules": [],
    }
