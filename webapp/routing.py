"""One router holding the routes of a package's modules, one level deep.

Since FastAPI 0.137, `include_router` no longer copies routes: it wraps the included router,
and every request walks the wrappers, matching again at each level and adding up every
router's version number (`_get_routes_version`) on each match. With three levels (app,
package, module) and 60 module routers, finding the route cost more than the reference
page's whole request (bench/profile). A route's own router settings (prefix, route class,
tags, dependencies, responses) are fixed when the route is declared, so the routes copied
into one router behave as they did; the app still includes the three package routers, so
its own dependencies (the CSRF check) reach them all.
"""

from fastapi import APIRouter


def gather(*parts: APIRouter, include_in_schema: bool = True) -> APIRouter:
    """A router holding the routes of `parts`, in order; with include_in_schema=False none
    of them is in the OpenAPI document."""
    router = APIRouter(include_in_schema=include_in_schema)
    for part in parts:
        if part.on_startup or part.on_shutdown:
            raise ValueError("gather() would drop the router's startup or shutdown handlers")
        for route in part.routes:
            if not include_in_schema and hasattr(route, "include_in_schema"):
                route.include_in_schema = False
            router.routes.append(route)
    return router
