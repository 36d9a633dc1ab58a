"""CSRF, sessions and XSS on the HTML side: what an attacker's page or a hostile user can do."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_tweet, make_user
from tests.web import HTMX, csrf_token, htmx_post, log_in, post_form, soup
from webapp import crud

EVIL = {"origin": "https://evil.example"}


def test_post_without_a_token_is_refused(client: TestClient, session: Session) -> None:
    log_in(client, make_user(session))
    response = client.post("/t", data={"text": "forged"})
    assert response.status_code == 403
    assert "did not come from Chirp" in soup(response).get_text()
    assert crud.list_tweets(session) == []


def test_visitor_forms_need_a_token_too(client: TestClient, session: Session) -> None:
    user = make_user(session)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    data = {"email": "x@example.com", "handle": "x", "password": PASSWORD}
    assert client.post("/signup", data=data).status_code == 403


def test_a_token_from_another_browser_is_refused(client: TestClient, session: Session) -> None:
    log_in(client, make_user(session))
    with TestClient(client.app) as attacker:
        log_in(attacker, make_user(session))
        stolen_format = csrf_token(attacker)
    response = client.post("/t", data={"text": "x", "csrf_token": stolen_format})
    assert response.status_code == 403


def test_another_origin_is_refused_even_with_a_token(client: TestClient, session: Session) -> None:
    log_in(client, make_user(session))
    assert post_form(client, "/t", {"text": "x"}, headers=EVIL).status_code == 403
    referer = {"referer": "https://evil.example/page"}
    assert post_form(client, "/t", {"text": "x"}, headers=referer).status_code == 403
    same = {"origin": "http://testserver"}
    assert post_form(client, "/t", {"text": "ok"}, headers=same).status_code == 303


def test_htmx_sends_the_token_in_a_header(client: TestClient, session: Session) -> None:
    log_in(client, make_user(session))
    page = soup(client.get("/"))
    token = page.find("meta", attrs={"name": "csrf-token"})["content"]
    assert page.body["hx-headers"] == f'{{"X-CSRF-Token": "{token}"}}'
    assert htmx_post(client, "/t", {"text": "with header"}).status_code == 200
    no_header = client.post("/t", data={"text": "x"}, headers=HTMX)
    assert no_header.status_code == 403


def test_logged_out_token_stops_working(client: TestClient, session: Session) -> None:
    log_in(client, make_user(session))
    token = csrf_token(client)
    post_form(client, "/logout")
    assert client.post("/t", data={"text": "x", "csrf_token": token}).status_code == 403


def test_the_bearer_api_needs_no_csrf_token(client: TestClient) -> None:
    response = client.post("/users/", json={"email": "api@example.com", "password": PASSWORD})
    assert response.status_code == 200, response.text


def test_visitor_csrf_cookie_is_httponly(client: TestClient) -> None:
    response = client.get("/signup")
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("chirp_csrf=") and "HttpOnly" in cookie


PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "<a href=javascript:alert(1)>x</a>",
]


def assert_inert(page: Any, where: str) -> None:
    assert all(script.get("src") for script in page.find_all("script")), where
    for tag in page.find_all(True):
        assert not [name for name in tag.attrs if name.lower().startswith("on")], (where, tag)
        assert not str(tag.get("href", "")).lower().startswith("javascript:"), (where, tag)
    assert page.find("img") is None, where


@pytest.mark.parametrize("payload", PAYLOADS)
def test_hostile_text_renders_as_text_everywhere(
    client: TestClient, session: Session, payload: str
) -> None:
    evil = make_user(session, "evil")
    crud.update_profile(session, user_id=evil.id, display_name=payload[:50], bio=payload + " #tag")
    tweet = make_tweet(session, evil, payload + " #tag")
    reader = make_user(session, "reader")
    log_in(client, reader)
    pages = ["/", "/?feed=everyone", "/@evil", f"/t/{tweet.id}", "/people", "/tags/tag"]
    for path in pages:
        response = client.get(path)
        assert_inert(soup(response), path)
        if path != "/":
            assert payload in soup(response).get_text(), path
    fragments = {
        "like": htmx_post(client, f"/t/{tweet.id}/like"),
        "follow": htmx_post(client, "/@evil/follow"),
        "timeline": client.get("/?feed=everyone&before=999999", headers=HTMX),
        "people": client.get("/people", headers=HTMX),
    }
    log_in(client, evil)
    fragments["post"] = htmx_post(client, "/t", {"text": payload})
    fragments["error"] = htmx_post(client, "/t", {"text": payload * 100})
    fragments["delete-confirm"] = client.get(f"/t/{tweet.id}/delete")
    for name, response in fragments.items():
        assert_inert(soup(response), name)


def test_the_home_post_box_carries_each_persons_own_token(
    client: TestClient, session: Session
) -> None:
    """The empty post box is rendered once per worker (pages.empty_compose_box): the token
    inside must still be this browser's, and posting from it must work, for each person."""
    ada, bob = make_user(session), make_user(session)
    tokens = []
    for person, browser in ((ada, client), (bob, TestClient(client.app))):
        log_in(browser, person)
        box = soup(browser.get("/")).find("form", id="compose")
        token = box.find("input", attrs={"name": "csrf_token"})["value"]
        assert token == csrf_token(browser)  # the page's own, not a cached one
        tokens.append(token)
        form = {"text": f"from {person.username}", "csrf_token": token}
        posted = browser.post("/t", data=form, follow_redirects=False)
        assert posted.status_code == 303
    assert tokens[0] != tokens[1]
    posted_texts = {t.text for t in crud.list_tweets(session)}
    assert posted_texts == {f"from {ada.username}", f"from {bob.username}"}
    # A refused post comes back in the box with its message; the next view is empty again.
    log_in(client, ada)
    refused = post_form(client, "/t", {"text": " "})
    assert refused.status_code == 303
    box = soup(client.get("/")).find("form", id="compose")
    assert box.find(id="compose-error") is not None
    assert soup(client.get("/")).find("form", id="compose").find(id="compose-error") is None
