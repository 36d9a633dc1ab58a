"""Helpers for the Mastodon API tests: register an app, get a token, submit the consent form."""

import re
from typing import Any

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from httpx import Client, Response
from mastodon import Mastodon

from tests.factories import PASSWORD
from webapp.models import User

OOB = "urn:ietf:wg:oauth:2.0:oob"


def register_app(
    client: TestClient, redirect: str = OOB, scopes: str = "read write follow"
) -> dict[str, Any]:
    data = {"client_name": "Test app", "redirect_uris": redirect, "scopes": scopes}
    response = client.post("/api/v1/apps", data=data)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def token(client: TestClient, user: User, scope: str = "read write follow") -> dict[str, str]:
    app = register_app(client)
    data = {
        "grant_type": "password",
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "username": user.email,
        "password": PASSWORD,
        "scope": scope,
    }
    response = client.post("/oauth/token", data=data)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def submit_consent(client: Client, page: Response, **fields: str) -> Response:
    """Post the consent form as a browser would: ALL its hidden inputs (the CSRF token too),
    plus what is typed."""
    form = BeautifulSoup(page.text, "html.parser").find(
        "form", action=re.compile("/oauth/authorize$")
    )
    assert form is not None
    hidden = form.find_all("input", type="hidden")
    data = {str(i["name"]): str(i.get("value", "")) for i in hidden}
    response: Response = client.post(
        str(form["action"]), data=data | fields, follow_redirects=False
    )
    return response


def mastodon_py(live_server: str, email: str) -> Mastodon:
    """A Mastodon.py client signed in as `email` on the live server (password grant; the
    server's OAuth metadata names plain-http endpoints here, hence allow_http)."""
    client_id, secret = Mastodon.create_app("Test bot", api_base_url=live_server)
    api = Mastodon(
        client_id=client_id,
        client_secret=secret,
        api_base_url=live_server,
        version_check_mode="none",
    )
    api.log_in(username=email, password=PASSWORD, allow_http=True)
    return api
