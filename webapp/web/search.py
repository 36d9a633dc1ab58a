"""Search and discovery pages: /search (People, Posts, Tags tabs), the as-you-type people
suggestions under the nav's search box, /tags (trending), and who to follow.

Each list is keyset-paged; an htmx request (the scroll trigger) gets only the next page,
rendered by the same partial the full page includes.
"""

from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from webapp import crud
from webapp.crud import discovery, search, tags
from webapp.crud.timelines import PAGE_SIZE
from webapp.deps import SessionDep
from webapp.models import User
from webapp.web.accounts import Viewer, login_redirect
from webapp.web.pages import requested_among
from webapp.web.templating import is_htmx, render

router = APIRouter(include_in_schema=False)

TABS = ("posts", "people", "tags")
SUGGESTIONS = 6
SearchText = Annotated[str, Query(max_length=200)]
After = Annotated[str | None, Query(max_length=100)]


def _tab(q: str, tab: str) -> str:
    """The asked-for tab; by default People for `@name`, Tags for `#tag`, else Posts."""
    if tab in TABS:
        return tab
    return {"@": "people", "#": "tags"}.get(q.strip()[:1], "posts")


def _url(q: str, tab: str, **more: str) -> str:
    return "/search?" + urlencode({"q": q, "tab": tab, **more})


def people_context(session: Session, user: User | None, people: list[User]) -> dict[str, Any]:
    """What _people_page.html needs: follower counts and follow flags, one query each."""
    ids = [person.id for person in people]
    following = crud.following_ids(session, follower_id=user.id, user_ids=ids) if user else set()
    return {
        "counts": crud.follower_counts(session, user_ids=ids),
        "following_ids": following,
        "requested_ids": requested_among(session, user, people),
    }


@router.get("/search")
def search_page(
    request: Request,
    session: SessionDep,
    user: Viewer,
    q: SearchText = "",
    tab: str = "",
    cursor: After = None,
    after: After = None,
) -> Response:
    tab = _tab(q, tab)
    context: dict[str, Any] = {"q": q, "tab": tab, "tabs": {t: _url(q, t) for t in TABS}}
    if tab == "people":
        context |= _people_tab(session, user, q, after)
        partial = "partials/_people_page.html"
    elif tab == "tags":
        context |= _tags_tab(session, q, after)
        partial = "partials/_tag_list.html"
    else:
        context |= _posts_tab(session, user, q, cursor)
        partial = "partials/_timeline_page.html"
    return render(request, partial if is_htmx(request) else "search.html", context, user=user)


def _people_tab(session: Session, user: User | None, q: str, after: str | None) -> dict[str, Any]:
    found = search.search_people(session, q=q, after=after, viewer_id=user.id if user else None)
    more = _url(q, "people", after=found.next_after) if found.next_after else None
    return {"people": found, "more_url": more, **people_context(session, user, found.users)}


def _tags_tab(session: Session, q: str, after: str | None) -> dict[str, Any]:
    names = tags.search_tags(session, prefix=q, after=after, limit=PAGE_SIZE + 1)
    shown = names[:PAGE_SIZE]
    more = _url(q, "tags", after=shown[-1]) if len(names) > len(shown) else None
    return {"tags": list(tags.tag_uses(session, shown).values()), "more_url": more}


def _posts_tab(session: Session, user: User | None, q: str, cursor: str | None) -> dict[str, Any]:
    found = search.search_posts(
        session, q=q, viewer_id=user.id if user else None, cursor=search.Cursor.parse(cursor)
    )
    more = _url(q, "posts", cursor=str(found.next)) if found.next else None
    return {"page": found.page, "liked": found.page.liked, "more_url": more}


@router.get("/search/suggest")
def suggest(request: Request, session: SessionDep, user: Viewer, q: SearchText = "") -> Response:
    """People as you type in the nav's search box: the first few handles or names."""
    viewer_id = user.id if user else None
    found = search.search_people(session, q=q, limit=SUGGESTIONS, viewer_id=viewer_id)
    people = found.users if q.strip() else []
    return render(request, "partials/_suggestions.html", {"people": people, "q": q}, user=user)


@router.get("/tags")
def trending_page(request: Request, session: SessionDep, user: Viewer) -> Response:
    trend = tags.trending(session, limit=20)
    return render(request, "tags.html", {"tags": trend, "more_url": None}, user=user)


@router.get("/who-to-follow")
def who_to_follow(request: Request, session: SessionDep, user: Viewer) -> Response:
    """The home page's box (loaded by htmx after the page, so the timeline never waits for
    it), or a page of its own without JavaScript."""
    if user is None:
        return login_redirect(request, "/who-to-follow")
    limit = 3 if is_htmx(request) else 20
    people = [s.user for s in discovery.who_to_follow(session, user_id=user.id, limit=limit)]
    context = {"people": search.People(people, None), **people_context(session, user, people)}
    name = "partials/_who_to_follow.html" if is_htmx(request) else "who_to_follow.html"
    return render(request, name, context, user=user)
