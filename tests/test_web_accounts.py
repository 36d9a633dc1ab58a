"""Sign up, log in, log out and settings, as a person in a browser sees them."""

import pytest
from fastapi.testclient import TestClient
from httpx import Response
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_user
from tests.web import csrf_token, log_in, post_form, soup
from webapp import crud
from webapp.config import settings
from webapp.main import app
from webapp.sessions import COOKIE


def field_error(html_response: Response, name: str) -> str:
    error = soup(html_response).find(id=f"{name}-error")
    return error.get_text(strip=True) if error else ""


def test_signup_creates_the_account_and_logs_in(client: TestClient, session: Session) -> None:
    response = post_form(
        client, "/signup", {"email": "ada@example.com", "handle": "ada", "password": PASSWORD}
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = soup(client.get("/"))
    assert home.find("form", id="compose") is not None
    assert crud.get_user_by_username(session, "ada").email == "ada@example.com"


def test_signup_errors_show_next_to_each_field_and_keep_what_was_typed(client: TestClient) -> None:
    response = post_form(
        client, "/signup", {"email": "nope", "handle": "Bad Handle!", "password": "short"}
    )
    assert response.status_code == 422
    assert "email address" in field_error(response, "email")
    assert "lowercase letters" in field_error(response, "handle")
    assert "at least 8" in field_error(response, "password")
    page = soup(response)
    assert page.find("input", id="email")["value"] == "nope"
    assert page.find("input", id="password")["value"] == ""  # a password is never echoed


def test_signup_with_a_taken_email_or_handle_says_so(client: TestClient, session: Session) -> None:
    make_user(session, "ada")
    taken_email = post_form(
        client, "/signup", {"email": "ADA@example.com", "handle": "other", "password": PASSWORD}
    )
    assert "already exists" in field_error(taken_email, "email")
    taken_handle = post_form(
        client, "/signup", {"email": "new@example.com", "handle": "ada", "password": PASSWORD}
    )
    assert taken_handle.status_code == 422
    assert "taken" in field_error(taken_handle, "handle")
    assert soup(taken_handle).find("input", id="email")["value"] == "new@example.com"


def test_login_with_a_wrong_password_says_so_and_keeps_the_email(
    client: TestClient, session: Session
) -> None:
    user = make_user(session)
    response = post_form(client, "/login", {"email": user.email, "password": "wrong password"})
    assert response.status_code == 422
    assert field_error(response, "password") == "Wrong email, handle or password."
    page = soup(response)
    assert page.find("input", id="email")["value"] == user.email
    # either may be the wrong one: both fields are marked, the message said once
    assert [page.find("input", id=name).get("aria-invalid") for name in ("email", "password")] == [
        "true",
        "true",
    ]
    assert len(page.select(".field-error")) == 1
    assert COOKIE not in client.cookies


def test_login_goes_to_a_local_next_but_never_another_site(
    client: TestClient, session: Session
) -> None:
    user = make_user(session)
    data = {"email": user.email, "password": PASSWORD}
    assert post_form(client, "/login", {**data, "next": "/people"}).headers["location"] == "/people"
    for evil in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        response = post_form(client, "/login", {**data, "next": evil})
        assert response.headers["location"] == "/"


def test_login_page_carries_next_into_the_form(client: TestClient) -> None:
    page = soup(client.get("/login?next=/people"))
    assert page.find("input", attrs={"name": "next"})["value"] == "/people"


def test_logout_ends_the_session_server_side(client: TestClient, session: Session) -> None:
    user = make_user(session)
    log_in(client, user)
    old_cookie = client.cookies[COOKIE]
    assert post_form(client, "/logout").status_code == 303
    assert soup(client.get("/")).find("form", id="compose") is None
    client.cookies.set(COOKIE, old_cookie)  # a copied cookie replayed after logout
    assert soup(client.get("/")).find("form", id="compose") is None


def test_login_issues_a_new_session_id(client: TestClient, session: Session) -> None:
    user = make_user(session)
    log_in(client, user)
    first = client.cookies[COOKIE]
    log_in(client, user)
    second = client.cookies[COOKIE]
    assert first != second
    client.cookies.set(COOKIE, first)  # the session it replaced no longer works
    assert soup(client.get("/")).find("form", id="compose") is None


def test_session_cookie_is_httponly_and_samesite_lax(client: TestClient, session: Session) -> None:
    user = make_user(session)
    token = csrf_token(client, "/login")
    response = client.post(
        "/login",
        data={"email": user.email, "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    cookie = next(v for v in response.headers.get_list("set-cookie") if v.startswith(COOKIE))
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie or "samesite=lax" in cookie.lower()
    assert "secure" not in cookie.lower()  # plain http in development


def test_session_cookie_is_secure_when_served_over_https(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "session_cookie_secure", True)
    client = TestClient(app, base_url="https://testserver")  # a Secure cookie is not sent on http
    response = post_form(
        client, "/login", {"email": make_user(session).email, "password": PASSWORD}
    )
    cookie = next(v for v in response.headers.get_list("set-cookie") if v.startswith(COOKIE))
    assert "; secure" in cookie.lower()


def test_settings_changes_display_name_and_bio(client: TestClient, session: Session) -> None:
    user = make_user(session, "ada")
    log_in(client, user)
    response = post_form(client, "/settings", {"display_name": "Ada L.", "bio": "Counting engines"})
    assert response.status_code == 303
    profile = soup(client.get("/@ada"))
    assert profile.find("h1").get_text() == "Ada L."
    assert "Counting engines" in profile.get_text()


def test_settings_errors_keep_what_was_typed(client: TestClient, session: Session) -> None:
    log_in(client, make_user(session))
    response = post_form(client, "/settings", {"display_name": "x" * 51, "bio": "mine"})
    assert response.status_code == 422
    assert "at most 50" in field_error(response, "display_name")
    assert soup(response).find("textarea", id="bio").get_text() == "mine"


def test_settings_needs_a_login(client: TestClient) -> None:
    response = client.get("/settings", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=/settings"


def test_a_refused_password_shows_crud_s_reason_by_the_field(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise crud.DomainError("That password is too common; pick another.")

    monkeypatch.setattr(crud, "register", refuse)
    data = {"email": "ada@example.com", "handle": "ada", "password": "password123"}
    response = post_form(client, "/signup", data)
    assert response.status_code == 422
    assert field_error(response, "password") == "That password is too common; pick another."


def test_nul_bytes_in_forms_are_refused_in_plain_words(
    client: TestClient, session: Session
) -> None:
    login = post_form(client, "/login", {"email": "a\x00@example.com", "password": "x"})
    assert login.status_code == 422
    data = {"email": "a@example.com", "handle": "ada", "password": "pass\x00word123"}
    assert "can't store" in field_error(post_form(client, "/signup", data), "password")
    user = make_user(session)
    data = {"email": user.email, "password": PASSWORD, "next": "/\x00\r\nSet-Cookie: x=1"}
    assert post_form(client, "/login", data).headers["location"] == "/"
