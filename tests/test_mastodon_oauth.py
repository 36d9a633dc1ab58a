"""OAuth for Mastodon apps: registration, the consent page, both grants, revoke."""

from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_user
from tests.mastodon_helpers import OOB, register_app, submit_consent, token
from webapp import sessions
from webapp.models import User

CALLBACK = "https://app.example/callback"


def _authorize_url(app: dict[str, str], redirect: str = CALLBACK, **extra: str) -> str:
    query = {"client_id": app["client_id"], "redirect_uri": redirect, "response_type": "code"}
    return "/oauth/authorize?" + "&".join(f"{k}={v}" for k, v in (query | extra).items())


def _sign_in_browser(client: TestClient, session: Session, user: User) -> None:
    from datetime import timedelta

    from webapp import crud

    raw = crud.create_token(session, user_id=user.id, kind="session", max_age=timedelta(hours=1))
    client.cookies.set(sessions.COOKIE, sessions.sign(raw))


def test_register_app_returns_client_credentials(client: TestClient):
    app = register_app(client, CALLBACK)
    assert app["client_id"] and app["client_secret"] and app["redirect_uris"] == [CALLBACK]
    assert app["name"] == "Test app" and isinstance(app["id"], str)


def test_register_app_accepts_json_and_refuses_dangerous_redirects(client: TestClient):
    ok = client.post("/api/v1/apps", json={"client_name": "J", "redirect_uris": [CALLBACK]})
    assert ok.status_code == 200
    hostile = ("javascript:alert(1)", "data:text/html,hi", "/relative", "https://x/#frag")
    for uri in (
        *hostile,
        "https://a.example;script-src:*/",
        "https://user@a.example/",
        "http:///x",
    ):
        bad = client.post("/api/v1/apps", data={"client_name": "x", "redirect_uris": uri})
        assert bad.status_code == 422 and "error" in bad.json(), uri
    assert client.post("/api/v1/apps", data={"redirect_uris": OOB}).status_code == 422
    bogus_scope = client.post("/api/v1/apps", data={"client_name": "x", "scopes": "root"})
    assert bogus_scope.status_code == 400 and bogus_scope.json()["error"] == "invalid_scope"


def test_signed_in_browser_sees_handle_and_authorizes(client: TestClient, session: Session):
    alice = make_user(session, "alice")
    _sign_in_browser(client, session, alice)
    page = client.get(_authorize_url(register_app(client, CALLBACK), state="s1"))
    assert page.status_code == 200
    assert (
        "Authorize <strong>Test app</strong> to use your account <strong>@alice</strong>?"
        in page.text
    )
    assert 'name="password"' not in page.text
    csp = page.headers["content-security-policy"]
    assert "form-action 'self' https://app.example" in csp
    scripts = BeautifulSoup(page.text, "html.parser").find_all("script")
    assert all(tag.get("src") and not tag.string for tag in scripts)  # no inline script

    done = submit_consent(client, page, decision="authorize")
    assert done.status_code == 303
    location = urlsplit(done.headers["location"])
    assert f"{location.scheme}://{location.netloc}{location.path}" == CALLBACK
    assert parse_qs(location.query)["state"] == ["s1"] and parse_qs(location.query)["code"]


def test_code_grant_gives_a_token_once(client: TestClient, session: Session):
    make_user(session, "bob")
    app = register_app(client, CALLBACK)
    page = client.get(_authorize_url(app, scope="read+write"))
    assert 'name="password"' in page.text  # not signed in: the form asks
    done = submit_consent(
        client, page, email="bob@example.com", password=PASSWORD, decision="authorize"
    )
    code = parse_qs(urlsplit(done.headers["location"]).query)["code"][0]
    grant = {
        "grant_type": "authorization_code",
        "client_id": app["client_id"],
        "client_secret": app["client_secret"],
        "code": code,
        "redirect_uri": CALLBACK,
    }
    first = client.post("/oauth/token", json=grant)
    assert first.status_code == 200
    assert first.json()["token_type"] == "Bearer" and first.json()["scope"] == "read write"
    assert isinstance(first.json()["created_at"], int)
    replay = client.post("/oauth/token", json=grant)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"


def test_wrong_password_on_consent_page_shows_the_form_again(client: TestClient, session: Session):
    make_user(session, "carol")
    page = client.get(_authorize_url(register_app(client, CALLBACK)))
    again = submit_consent(
        client, page, email="carol@example.com", password="nope", decision="authorize"
    )
    assert again.status_code == 401 and "Wrong email or password." in again.text


def test_deny_redirects_with_access_denied(client: TestClient, session: Session):
    _sign_in_browser(client, session, make_user(session, "dave"))
    page = client.get(_authorize_url(register_app(client, CALLBACK)))
    denied = submit_consent(client, page, decision="deny")
    assert denied.status_code == 303 and "error=access_denied" in denied.headers["location"]


def test_out_of_band_shows_the_code(client: TestClient, session: Session):
    _sign_in_browser(client, session, make_user(session, "erin"))
    page = client.get(_authorize_url(register_app(client), redirect=OOB))
    shown = submit_consent(client, page, decision="authorize")
    code = BeautifulSoup(shown.text, "html.parser").find("output")
    assert shown.status_code == 200 and code is not None and len(code.text) > 20
    assert "form-action 'self';" in page.headers["content-security-policy"]


def test_the_consent_page_answers_with_a_trailing_slash_as_toot_asks(
    client: TestClient, session: Session
):
    """`toot login` prints /oauth/authorize/?... (as Mastodon serves it); the catch-all
    answered it 404 {"error": "Record not found"}, so toot's recommended login failed."""
    _sign_in_browser(client, session, make_user(session, "fay"))
    url = _authorize_url(register_app(client), redirect=OOB).replace("authorize?", "authorize/?")
    page = client.get(url)
    assert page.status_code == 200 and "Authorize Test app" in page.text
    shown = submit_consent(client, page, decision="authorize")
    assert shown.status_code == 200 and BeautifulSoup(shown.text, "html.parser").find("output")


def test_consent_post_without_the_csrf_token_is_refused(client: TestClient, session: Session):
    alice = make_user(session, "alice")
    _sign_in_browser(client, session, alice)
    app = register_app(client, CALLBACK)
    client.get(_authorize_url(app))
    forged = {"client_id": app["client_id"], "redirect_uri": CALLBACK, "scope": "read"}
    response = client.post("/oauth/authorize", data=forged | {"decision": "authorize"})
    assert response.status_code == 403 and "error" in response.json()


def test_authorize_refuses_unregistered_redirect_and_unknown_client(client: TestClient):
    app = register_app(client, CALLBACK)
    assert client.get(_authorize_url(app, redirect="https://evil.example/")).status_code == 400
    unknown = client.get(_authorize_url({"client_id": "nope"}))
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_client"
    wider = client.get(_authorize_url(register_app(client, CALLBACK, scopes="read"), scope="write"))
    assert wider.status_code == 400 and wider.json()["error"] == "invalid_scope"


def test_password_grant_errors(client: TestClient, session: Session):
    user = make_user(session, "frank")
    app = register_app(client)
    base = {"client_id": app["client_id"], "client_secret": app["client_secret"]}
    wrong = client.post(
        "/oauth/token",
        data=base | {"grant_type": "password", "username": user.email, "password": "x"},
    )
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    bad_client = client.post(
        "/oauth/token", data=base | {"client_secret": "x", "grant_type": "password"}
    )
    assert bad_client.status_code == 401 and bad_client.json()["error"] == "invalid_client"
    other = client.post("/oauth/token", data=base | {"grant_type": "client_magic"})
    assert other.status_code == 400 and other.json()["error"] == "unsupported_grant_type"
    broken = client.post(
        "/oauth/token", content=b"{not json", headers={"content-type": "application/json"}
    )
    assert broken.status_code == 400


def test_revoke_ends_the_token(client: TestClient, session: Session):
    user = make_user(session, "gina")
    app = register_app(client)
    body = {"client_id": app["client_id"], "client_secret": app["client_secret"]}
    grant = body | {
        "grant_type": "password",
        "username": user.email,
        "password": PASSWORD,
        "scope": "read",
    }
    access = client.post("/oauth/token", data=grant).json()["access_token"]
    headers = {"Authorization": f"Bearer {access}"}
    assert client.get("/api/v1/accounts/verify_credentials", headers=headers).status_code == 200
    assert client.post("/oauth/revoke", data=body | {"token": access}).status_code == 200
    assert client.get("/api/v1/accounts/verify_credentials", headers=headers).status_code == 401


def test_token_scopes_are_enforced(client: TestClient, session: Session):
    reader = token(client, make_user(session, "henry"), scope="read")
    response = client.post("/api/v1/statuses", data={"status": "hi"}, headers=reader)
    assert response.status_code == 403 and response.json()["error"]


def test_hostile_oauth_input_is_a_4xx(client: TestClient, session: Session):
    app = register_app(client, CALLBACK)
    for client_id in ("%00", "%ED%A0%80", "%FF"):
        response = client.get(f"/oauth/authorize?client_id={client_id}&redirect_uri={CALLBACK}")
        assert response.status_code == 400, client_id
    page = client.get(_authorize_url(app))
    nul = submit_consent(
        client, page, email="a\x00@example.com", password="x", decision="authorize"
    )
    assert nul.status_code in (400, 401, 422)
    tampered = submit_consent(client, page, client_id="\x00", decision="authorize")
    assert tampered.status_code == 400
    grant = {"grant_type": "password", "client_id": "\x00", "client_secret": "x"}
    assert client.post("/oauth/token", data=grant).status_code == 422


def test_code_is_bound_to_its_app_and_redirect(client: TestClient, session: Session):
    from webapp.crud import oauth

    user = make_user(session, "ivy")
    app, other = register_app(client, CALLBACK), register_app(client, CALLBACK)
    app_id = oauth.get_app(session, app["client_id"]).id
    code = oauth.create_code(
        session, app_id=app_id, user_id=user.id, redirect_uri=CALLBACK, scopes="read"
    )
    grant = {"grant_type": "authorization_code", "code": code, "redirect_uri": CALLBACK}
    stolen = grant | {"client_id": other["client_id"], "client_secret": other["client_secret"]}
    assert client.post("/oauth/token", data=stolen).json()["error"] == "invalid_grant"
    own = grant | {"client_id": app["client_id"], "client_secret": app["client_secret"]}
    # A code tried by the wrong app is burnt: not even its own app can use it now.
    assert client.post("/oauth/token", data=own).status_code == 400
