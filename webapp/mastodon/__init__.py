"""The Mastodon client API: existing Mastodon apps and bots work with Chirp.

One module per resource; everything goes through webapp.crud like the rest of the app.
Include `router` last: its catch-all answers any other /api/v1/, /api/v2/ or /oauth/ path
with Mastodon's 404.
"""

from fastapi import APIRouter

from webapp.mastodon import (
    accounts,
    blocks,
    conversations,
    directory,
    discovery,
    edits,
    featured,
    filters,
    follow_requests,
    instance,
    lists,
    markers,
    media,
    notification_groups,
    notifications,
    oauth,
    polls,
    profiles,
    push,
    reports,
    saved,
    scheduled,
    search,
    server,
    statuses,
    streaming,
    tags,
    timelines,
)
from webapp.mastodon.errors import MastodonError, MastodonRoute, not_found
from webapp.routing import gather

# search before accounts: its /accounts/search|lookup|relationships are not account ids.
modules = (
    oauth,
    instance,
    server,
    discovery,
    search,
    directory,
    tags,
    profiles,
    lists,
    filters,
    accounts,
    blocks,
    statuses,
    scheduled,
    edits,
    polls,
    saved,
    timelines,
    reports,
    media,
    notifications,
    notification_groups,
    markers,
    streaming,
    follow_requests,  # issue 19
    conversations,
    featured,
    push,  # Web Push for apps
)
_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
unknown = APIRouter(route_class=MastodonRoute, include_in_schema=False)


@unknown.api_route("/api/v1/{path:path}", methods=_METHODS)
@unknown.api_route("/api/v2/{path:path}", methods=_METHODS)
@unknown.api_route("/oauth/{path:path}", methods=_METHODS)
def unknown_endpoint(path: str) -> None:
    raise not_found()


# One router, one level deep (webapp/routing.py), the catch-all last.
router = gather(*(module.router for module in modules), unknown, include_in_schema=False)

__all__ = ["MastodonError", "router"]
