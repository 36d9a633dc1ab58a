"""Finding accounts and posts: /api/v2/search, accounts search, lookup, relationships,
suggestions. Declared before /api/v1/accounts/{id} (see webapp/mastodon/__init__.py), so
/accounts/search, /lookup and /relationships are not taken for an account id."""

from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session

from webapp.crud import discovery, search, statuses
from webapp.crud.tags import search_tags
from webapp.crud.users import USERNAME_RE, get_user_by_username
from webapp.deps import SessionDep
from webapp.mastodon import relations, serializers
from webapp.mastodon.deps import Viewer, user_with_scope
from webapp.mastodon.errors import MastodonRoute, not_found
from webapp.mastodon.paging import base_url, context
from webapp.mastodon.tags import tag_json
from webapp.models import User

router = APIRouter(route_class=MastodonRoute)
ReadFollows = Annotated[User, Depends(user_with_scope("read:follows"))]
ReadAccounts = Annotated[User, Depends(user_with_scope("read:accounts"))]
# Offsets are served by reading offset + limit rows (never SQL OFFSET), so they are capped.
MAX_OFFSET = 200
Limit = Annotated[int, Query()]
Offset = Annotated[int, Query(ge=0)]
Flag = Annotated[bool, Query()]
SearchText = Annotated[str, Query(max_length=500)]


def accounts_json(session: Session, request: Request, users: list[User]) -> list[dict[str, Any]]:
    stats = statuses.account_stats(session, [u.id for u in users])
    return [serializers.account(u, stats[u.id], base_url(request)) for u in users]


def local_username(request: Request, acct: str) -> str | None:
    """`bob`, `@bob`, `bob@this-host`: the local handle; another host's account: None."""
    username, _, domain = acct.strip().lstrip("@").partition("@")
    # The host /api/v1/instance reports as its `uri`: what apps append to local names.
    if domain and domain.lower() != urlsplit(base_url(request)).netloc.lower():
        return None
    return username.lower() if USERNAME_RE.match(username.lower()) else None


def find_accounts(
    session: Session,
    request: Request,
    q: str,
    *,
    size: int,
    following_of: int | None,
    viewer: User | None = None,
) -> list[User]:
    """An exact handle first (how apps find `@bob` to follow him), then handle or display
    name prefixes. A name on another server finds nobody: Chirp does not federate."""
    handle = local_username(request, q)
    if not handle:
        return []
    viewer_id = viewer.id if viewer else None
    found = search.search_people(
        session, q=handle, limit=size, followed_by=following_of, viewer_id=viewer_id
    ).users
    exact = [u for u in found if u.username == handle]
    if not exact and "@" in q.lstrip("@"):  # a full address names exactly one account
        return []
    return exact + [u for u in found if u.username != handle]


def _window(items: list[Any], offset: int, limit: int) -> list[Any]:
    return items[offset : offset + limit]


def _clamp(limit: int, most: int) -> int:
    return max(1, min(limit, most))


@router.get("/api/v2/search")
def search_v2(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    q: SearchText,
    type: Literal["accounts", "hashtags", "statuses"] | None = None,
    resolve: Flag = False,
    following: Flag = False,
    account_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    max_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    limit: Limit = 20,
    offset: Offset = 0,
) -> dict[str, list[dict[str, Any]]]:
    limit, offset = _clamp(limit, 40), min(offset, MAX_OFFSET)
    size = offset + limit
    result: dict[str, list[dict[str, Any]]] = {"accounts": [], "statuses": [], "hashtags": []}
    if type in (None, "accounts"):
        following_of = viewer.id if following and viewer else None
        users = find_accounts(
            session, request, q, size=size, following_of=following_of, viewer=viewer
        )
        result["accounts"] = accounts_json(session, request, _window(users, offset, limit))
    if type in (None, "hashtags") and not q.lstrip().startswith("@"):
        names = search_tags(session, prefix=q, limit=size)[offset:]
        result["hashtags"] = [tag_json(session, request, n, viewer) for n in names]
    if type in (None, "statuses"):
        result["statuses"] = _statuses(session, request, viewer, q, account_id, max_id, size)[
            offset:
        ]
    return result


def _statuses(
    session: Session,
    request: Request,
    viewer: User | None,
    q: str,
    account_id: int | None,
    max_id: int | None,
    size: int,
) -> list[dict[str, Any]]:
    found = search.search_posts(
        session,
        q=q,
        viewer_id=viewer.id if viewer else None,
        cursor=search.Cursor(max_id),
        limit=size,
        author_id=account_id,
    )
    shown = context(session, found.tweets, viewer, base_url(request))
    return [serializers.status(tweet, shown) for tweet in found.tweets]


@router.get("/api/v1/accounts/search")
def accounts_search(
    request: Request,
    session: SessionDep,
    viewer: Viewer,
    q: SearchText,
    limit: Limit = 40,
    offset: Offset = 0,
    resolve: Flag = False,
    following: Flag = False,
) -> list[dict[str, Any]]:
    limit, offset = _clamp(limit, 80), min(offset, MAX_OFFSET)
    following_of = viewer.id if following and viewer else None
    users = find_accounts(
        session, request, q, size=offset + limit, following_of=following_of, viewer=viewer
    )
    return accounts_json(session, request, _window(users, offset, limit))


@router.get("/api/v1/accounts/lookup")
def accounts_lookup(
    request: Request, session: SessionDep, acct: Annotated[str, Query(max_length=500)]
) -> dict[str, Any]:
    handle = local_username(request, acct)
    if not handle:
        raise not_found()
    return accounts_json(session, request, [get_user_by_username(session, handle)])[0]


@router.get("/api/v1/accounts/relationships")
def relationships(request: Request, session: SessionDep, me: ReadFollows) -> list[dict[str, Any]]:
    """`id[]=1&id[]=2` (or `id=1`): accounts that do not exist are left out, as Mastodon does."""
    raw = request.query_params.getlist("id[]") + request.query_params.getlist("id")
    ids = [int(i) for i in raw[:100] if i.isascii() and i.isdigit() and 0 < int(i) < 2**62]
    known = statuses.users_by_id(session, ids)
    return relations.relationships(session, user_id=me.id, other_ids=[i for i in ids if i in known])


@router.get("/api/v2/suggestions")
def suggestions_v2(
    request: Request, session: SessionDep, me: ReadAccounts, limit: Limit = 40
) -> list[dict[str, Any]]:
    found = discovery.who_to_follow(session, user_id=me.id, limit=_clamp(limit, 80))
    accounts = accounts_json(session, request, [s.user for s in found])
    return [
        {"source": "global", "sources": [s.source], "account": account}
        for s, account in zip(found, accounts, strict=True)
    ]


@router.get("/api/v1/suggestions")
def suggestions_v1(
    request: Request, session: SessionDep, me: ReadAccounts, limit: Limit = 40
) -> list[dict[str, Any]]:
    found = discovery.who_to_follow(session, user_id=me.id, limit=_clamp(limit, 80))
    return accounts_json(session, request, [s.user for s in found])
