"""Who is calling the Mastodon API: a bearer token and the scopes it was granted."""

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Request

from webapp.crud import oauth
from webapp.deps import SessionDep
from webapp.mastodon.errors import MastodonError
from webapp.models import User


def bearer_token(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def optional_bearer(request: Request, session: SessionDep) -> oauth.Bearer | None:
    token = bearer_token(request)
    if token is None:
        return None
    bearer = oauth.bearer_for_token(session, token)
    if bearer is None:
        raise MastodonError(401, "The access token is invalid")
    return bearer


OptionalBearer = Annotated[oauth.Bearer | None, Depends(optional_bearer)]


def allows(scopes: frozenset[str], needed: str) -> bool:
    """`write:statuses` is granted by itself or by `write`; `follow` also covers follows,
    blocks and mutes (Mastodon's legacy scope)."""
    top, _, part = needed.partition(":")
    legacy = part in ("follows", "blocks", "mutes") and "follow" in scopes
    return needed in scopes or top in scopes or legacy


def user_with_scope(needed: str) -> Callable[..., User]:
    def dependency(bearer: OptionalBearer) -> User:
        if bearer is None:
            raise MastodonError(401, "This method requires an authenticated user")
        if not allows(bearer.scopes, needed):
            raise MastodonError(403, "This action is outside the authorized scopes")
        return bearer.user

    return dependency


def viewer(bearer: OptionalBearer) -> User | None:
    return bearer.user if bearer else None


Viewer = Annotated[User | None, Depends(viewer)]

ReadAccounts = Annotated[User, Depends(user_with_scope("read:accounts"))]
ReadStatuses = Annotated[User, Depends(user_with_scope("read:statuses"))]
WriteStatuses = Annotated[User, Depends(user_with_scope("write:statuses"))]
WriteFavourites = Annotated[User, Depends(user_with_scope("write:favourites"))]
WriteFollows = Annotated[User, Depends(user_with_scope("write:follows"))]
ReadBookmarks = Annotated[User, Depends(user_with_scope("read:bookmarks"))]
WriteBookmarks = Annotated[User, Depends(user_with_scope("write:bookmarks"))]
ReadFavourites = Annotated[User, Depends(user_with_scope("read:favourites"))]
WriteAccounts = Annotated[User, Depends(user_with_scope("write:accounts"))]
ReadNotifications = Annotated[User, Depends(user_with_scope("read:notifications"))]
WriteNotifications = Annotated[User, Depends(user_with_scope("write:notifications"))]
