"""How clients find out what this server is: NodeInfo, WebFinger, host-meta, OAuth metadata.

Clients read these before they sign in. megalodon picks its Mastodon driver from NodeInfo
(`software.name` or `metadata.upstream.name` must say "mastodon"); Mastodon.py reads the OAuth
server metadata (RFC 8414) to find the authorize and token endpoints.
"""

from typing import Any
from xml.sax.saxutils import quoteattr

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response

from webapp import crud
from webapp.crud import statuses
from webapp.deps import SessionDep
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.mastodon.instance import MASTODON_VERSION, SOFTWARE_VERSION, registrations_open
from webapp.mastodon.paging import base_url

router = APIRouter(route_class=MastodonRoute)
NODEINFO_SCHEMA = "http://nodeinfo.diaspora.software/ns/schema/2.0"
PROFILE_PAGE = "http://webfinger.net/rel/profile-page"
# What an app may ask for; mirrors webapp/mastodon/scopes.py's grammar (top-level and a few subs).
SCOPES = ["read", "write", "follow", "push", "profile"] + [
    f"{top}:{what}"
    for top, whats in {
        "read": ["accounts", "favourites", "follows", "notifications", "statuses"],
        "write": ["accounts", "favourites", "follows", "statuses"],
    }.items()
    for what in whats
]


@router.get("/.well-known/nodeinfo")
def nodeinfo_links(request: Request) -> dict[str, Any]:
    return {"links": [{"rel": NODEINFO_SCHEMA, "href": f"{base_url(request)}nodeinfo/2.0"}]}


@router.get("/nodeinfo/2.0")
def nodeinfo(session: SessionDep) -> JSONResponse:
    stats = statuses.instance_stats(session)
    users = stats["user_count"]
    body = {
        "version": "2.0",
        "software": {"name": "chirp", "version": SOFTWARE_VERSION},
        # Chirp serves people on this server only: it speaks no federation protocol.
        "protocols": [],
        "services": {"outbound": [], "inbound": []},
        "usage": {
            "users": {"total": users, "activeMonth": users, "activeHalfyear": users},
            "localPosts": stats["status_count"],
        },
        "openRegistrations": registrations_open(),
        "metadata": {
            "nodeName": "Chirp",
            "upstream": {"name": "mastodon", "version": MASTODON_VERSION},
        },
    }
    profile = f'application/json; profile="{NODEINFO_SCHEMA}#"'
    return JSONResponse(body, media_type=profile)


@router.get("/.well-known/webfinger")
def webfinger(
    request: Request, session: SessionDep, resource: str = Query(max_length=400)
) -> JSONResponse:
    """`acct:bob@host`, `bob@host`, `@bob` or the profile URL -> links to Bob's profile page."""
    handle = _handle_from(resource, request.url.hostname or "", base_url(request))
    try:
        user = crud.get_user_by_username(session, handle) if handle else None
    except crud.NotFound:
        user = None
    if user is None:
        raise MastodonError(404, "Record not found")
    profile = f"{base_url(request)}@{user.username}"
    body = {
        "subject": f"acct:{user.username}@{request.url.netloc}",
        "aliases": [profile],
        "links": [
            {"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": profile}
        ],
    }
    return JSONResponse(body, media_type="application/jrd+json")


def _handle_from(resource: str, host: str, base: str) -> str | None:
    if resource.startswith(f"{base}@"):
        return resource.removeprefix(f"{base}@")
    name, _, domain = resource.removeprefix("acct:").lstrip("@").partition("@")
    if domain and domain.split(":")[0].lower() != host.lower():
        return None  # someone on another server: Chirp knows only its own people
    return name or None


@router.get("/.well-known/host-meta")
def host_meta(request: Request) -> Response:
    template = quoteattr(f"{base_url(request)}.well-known/webfinger?resource={{uri}}")
    xml = (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<XRD xmlns="http://docs.oasis-open.org/ns/xri/xrd-1.0">\n'
        f'  <Link rel="lrdd" template={template}/>\n'
        "</XRD>\n"
    )
    return Response(xml, media_type="application/xrd+xml")


@router.get("/.well-known/oauth-authorization-server")
def oauth_metadata(request: Request) -> dict[str, Any]:
    """RFC 8414, as Mastodon 4.3 serves it (only what Chirp really supports)."""
    base = base_url(request)
    return {
        "issuer": base,
        "service_documentation": "https://docs.joinmastodon.org/",
        "authorization_endpoint": f"{base}oauth/authorize",
        "token_endpoint": f"{base}oauth/token",
        "revocation_endpoint": f"{base}oauth/revoke",
        "app_registration_endpoint": f"{base}api/v1/apps",
        "scopes_supported": SCOPES,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "password"],
        "token_endpoint_auth_methods_supported": ["client_secret_post"],
    }
