"""The Mastodon client API subset (issue 6): existing Mastodon apps and bots work with Chirp.

Everything goes through webapp.crud like the rest of the app. Include `router` last: its
catch-all answers any other /api/v1/ or /oauth/ path with Mastodon's 404.
"""

from fastapi import APIRouter

from webapp.mastodon import (
    accounts,
    discovery,
    instance,
    lists,
    oauth,
    reports,
    server,
    statuses,
    timelines,
)
from webapp.mastodon.errors import MastodonError, MastodonRoute, not_found

router = APIRouter(include_in_schema=False)
for module in (oauth, instance, server, discovery, lists, accounts, statuses, timelines, reports):
    router.include_router(module.router)

_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"]
unknown = APIRouter(route_class=MastodonRoute, include_in_schema=False)


@unknown.api_route("/api/v1/{path:path}", methods=_METHODS)
@unknown.api_route("/oauth/{path:path}", methods=_METHODS)
def unknown_endpoint(path: str) -> None:
    raise not_found()


router.include_router(unknown)

__all__ = ["MastodonError", "router"]
