"""GET /api/v1/timelines/home and /public (`local`, `remote`, `only_media`), paged by id
with a Link header."""

from fastapi import APIRouter, Request, Response

from webapp.crud import statuses
from webapp.deps import SessionDep
from webapp.mastodon.deps import ReadStatuses, Viewer
from webapp.mastodon.errors import MastodonRoute
from webapp.mastodon.paging import WindowDep, statuses_page

router = APIRouter(prefix="/api/v1/timelines", route_class=MastodonRoute)


@router.get("/home")
def home(
    request: Request, response: Response, session: SessionDep, me: ReadStatuses, window: WindowDep
) -> list[dict[str, object]]:
    page = statuses.home_statuses(session, user_id=me.id, window=window)
    return statuses_page(session, request, response, page, me, "home")


@router.get("/public")
def public(
    request: Request,
    response: Response,
    session: SessionDep,
    viewer: Viewer,
    window: WindowDep,
    local: bool = False,
    remote: bool = False,
    only_media: bool = False,
) -> list[dict[str, object]]:
    """Every Chirp post is local (it does not federate): `local` is the whole timeline, and
    `remote`, an app's "federated only" tab, is empty. `only_media`: posts with images."""
    if remote:
        return []
    viewer_id = viewer.id if viewer else None
    page = statuses.public_statuses(
        session, window=window, viewer_id=viewer_id, only_media=only_media
    )
    return statuses_page(session, request, response, page, viewer, "public")
