"""Helpers for page tests: parse HTML, read the CSRF token a page embeds, log in like a browser."""

from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from httpx import Response

from tests.factories import PASSWORD
from webapp.models import User

HTMX = {"HX-Request": "true"}


def soup(response: Response) -> Any:
    """The parsed page, typed Any: tests chain look-ups freely; a miss fails the test anyway."""
    return BeautifulSoup(response.text, "html.parser")


def csrf_token(client: TestClient, path: str = "/") -> str:
    """The token the page at `path` gives this browser (sets the visitor cookie on first visit)."""
    meta = soup(client.get(path)).find("meta", attrs={"name": "csrf-token"})
    assert meta is not None
    return str(meta["content"])


def post_form(
    client: TestClient, path: str, data: dict[str, Any] | None = None, **kwargs: Any
) -> Response:
    """A plain form post with this browser's token, not following the redirect."""
    fields = {"csrf_token": csrf_token(client), **(data or {})}
    response: Response = client.post(path, data=fields, follow_redirects=False, **kwargs)
    return response


def htmx_post(client: TestClient, path: str, data: dict[str, Any] | None = None) -> Response:
    """An htmx post: the token in the header, as <body hx-headers> sends it."""
    headers = {**HTMX, "X-CSRF-Token": csrf_token(client)}
    response: Response = client.post(path, data=data or {}, headers=headers, follow_redirects=False)
    return response


def log_in(client: TestClient, user: User, password: str = PASSWORD) -> None:
    """Log `user` in through the login form, as a browser would; the client keeps the cookie."""
    response = post_form(client, "/login", {"email": user.email, "password": password})
    assert response.status_code == 303, response.text
