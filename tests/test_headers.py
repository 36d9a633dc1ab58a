"""Security headers on every response, and /docs working under the strict CSP."""

import pytest
from bs4 import BeautifulSoup
from fastapi.testclient import TestClient

from webapp.config import settings

CONTRACT_PATHS = {
    "/users/",
    "/users/{user_id}",
    "/users/{user_id}/tweets/",
    "/tweets/",
    "/users/{user_id}/likes/",
    "/users/{user_id}/liked_tweets/",
    "/token",
}


@pytest.mark.parametrize("path", ["/users/", "/docs", "/no-such-page", "/healthz"])
def test_every_response_carries_the_security_headers(client: TestClient, path: str):
    headers = client.get(path).headers
    csp = headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp
    assert "unsafe-inline" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-frame-options"] == "DENY"
    assert "camera=()" in headers["permissions-policy"]


def test_hsts_only_when_served_over_https(client: TestClient, monkeypatch: pytest.MonkeyPatch):
    assert "strict-transport-security" not in client.get("/users/").headers
    monkeypatch.setattr(settings, "session_cookie_secure", True)
    assert "max-age=31536000" in client.get("/users/").headers["strict-transport-security"]


def test_docs_load_only_same_origin_assets_and_no_inline_script(client: TestClient):
    response = client.get("/docs")
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    assets = [tag["src"] for tag in page.find_all("script")]
    assets += [tag["href"] for tag in page.find_all("link")]
    assert "/static/swagger-ui/swagger-ui-bundle.js" in assets
    assert all(str(url).startswith("/static/") for url in assets), assets
    assert all(not tag.string for tag in page.find_all("script")), "inline script under CSP"
    for url in assets:
        assert client.get(str(url)).status_code == 200, url
    init = client.get("/static/swagger-init.js").text
    assert "/openapi.json" in init
    assert client.get("/static/swagger-ui/oauth2-redirect.html").status_code == 200


def test_openapi_lists_the_contract_and_the_authorize_flow(client: TestClient):
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) >= CONTRACT_PATHS
    flows = spec["components"]["securitySchemes"]["OAuth2PasswordBearer"]["flows"]
    assert flows["password"]["tokenUrl"] == "token"
    assert "429" in spec["paths"]["/token"]["post"]["responses"]
    assert "503" in spec["paths"]["/users/"]["get"]["responses"]
