"""Locked accounts: a follow becomes a request that the owner approves or rejects, on the web
and through the Mastodon API (Mastodon.py); followers-only posts wait for the approval."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import mastodon_py, token
from tests.web import HTMX, htmx_post, log_in, post_form, soup
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.crud import follow_requests
from webapp.models import User


def _lock(session: Session, user: User) -> None:
    follow_requests.set_locked(session, user_id=user.id, locked=True)


def _texts(page: object) -> list[str]:
    return [p.get_text(strip=True) for p in soup(page).select(".tweet-text")]  # type: ignore[arg-type]


def _follow_button(client: TestClient, handle: str) -> str:
    page = client.get(f"/@{handle}")
    return str(soup(page).select_one(".follow-box button").get_text(" ", strip=True))


def test_lock_account_follow_is_requested_then_approved(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    make_tweet(session, ada, "hello everyone")
    crud.create_tweet(session, owner_id=ada.id, text="for my followers", visibility="private")
    # ada ticks "Require approval for new followers"
    log_in(client, ada)
    settings_page = client.get("/settings/profile")
    assert "Require approval for new followers" in settings_page.text
    saved = post_form(client, "/settings/profile", {"display_name": "Ada", "locked": "on"})
    assert saved.status_code == 303
    assert soup(client.get("/settings/profile")).find(id="locked").has_attr("checked")
    # bob asks to follow her: the button says Requested, her followers-only post stays hidden
    client.cookies.clear()
    log_in(client, bob)
    assert post_form(client, "/@ada/follow").status_code == 303
    assert _follow_button(client, "ada") == "Requested @ada"
    assert not crud.is_following(session, follower_id=bob.id, followee_id=ada.id)
    assert _texts(client.get("/@ada")) == ["hello everyone"]
    # ada hears of it and approves on /follow_requests
    client.cookies.clear()
    log_in(client, ada)
    assert "asked to follow you" in client.get("/notifications").text
    page = client.get("/follow_requests")
    assert [a.get_text(" ", strip=True) for a in soup(page).select(".follow-requests .author")] == [
        "bob @bob"
    ]
    assert post_form(client, f"/follow_requests/{bob.id}/authorize").status_code == 303
    assert "Nobody is waiting" in client.get("/follow_requests").text
    # bob follows her now and reads the followers-only post
    client.cookies.clear()
    log_in(client, bob)
    assert _follow_button(client, "ada") == "Following @ada"
    assert _texts(client.get("/@ada")) == ["for my followers", "hello everyone"]


def test_reject_deletes_the_request_and_keeps_posts_hidden(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    _lock(session, ada)
    crud.create_tweet(session, owner_id=ada.id, text="followers only", visibility="private")
    follow_requests.follow_or_request(session, follower_id=bob.id, followee_id=ada.id)
    log_in(client, ada)
    answered = htmx_post(client, f"/follow_requests/{bob.id}/reject")
    assert answered.status_code == 200 and "You rejected @bob" in answered.text
    assert not follow_requests.is_requested(session, follower_id=bob.id, followee_id=ada.id)
    assert "asked to follow you" not in client.get("/notifications").text
    client.cookies.clear()
    log_in(client, bob)
    assert _follow_button(client, "ada") == "Follow @ada"
    assert _texts(client.get("/@ada")) == []


def test_clicking_requested_again_cancels_the_request(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    _lock(session, ada)
    log_in(client, bob)
    button = htmx_post(client, "/@ada/follow")
    assert "Requested" in button.text and "/@ada/unfollow" in button.text
    cancelled = htmx_post(client, "/@ada/unfollow")
    assert ">Follow<" in cancelled.text
    assert not follow_requests.is_requested(session, follower_id=bob.id, followee_id=ada.id)


def test_approving_someone_elses_request_is_404(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    log_in(client, ada)
    assert post_form(client, f"/follow_requests/{bob.id}/authorize").status_code == 404
    assert not crud.is_following(session, follower_id=bob.id, followee_id=ada.id)


def test_unlocking_lets_everyone_waiting_in(session: Session):
    ada, bob, cy = (make_user(session, n) for n in ("ada", "bob", "cy"))
    _lock(session, ada)
    for person in (bob, cy):
        follow_requests.follow_or_request(session, follower_id=person.id, followee_id=ada.id)
    follow_requests.set_locked(session, user_id=ada.id, locked=False)
    assert crud.following_ids(session, follower_id=bob.id, user_ids=[ada.id]) == {ada.id}
    assert crud.following_ids(session, follower_id=cy.id, user_ids=[ada.id]) == {ada.id}
    assert follow_requests.pending_count(session, user_id=ada.id) == 0


def test_follow_requests_page_needs_login(client: TestClient):
    response = client.get("/follow_requests", follow_redirects=False)
    assert response.status_code == 303 and "/login" in response.headers["location"]


def test_follow_requests_with_mastodon_py(live_server: str, session: Session):
    ada, bob, cy = (make_user(session, n) for n in ("ada", "bob", "cy"))
    crud.create_tweet(session, owner_id=ada.id, text="followers only", visibility="private")
    ada_api = mastodon_py(live_server, ada.email)
    me = ada_api.account_update_credentials(locked=True)
    assert me["locked"] is True
    bob_api, cy_api = mastodon_py(live_server, bob.email), mastodon_py(live_server, cy.email)
    asked = bob_api.account_follow(ada.id)
    assert asked["requested"] is True and asked["following"] is False
    cy_api.account_follow(ada.id)
    assert bob_api.account_statuses(ada.id) == []  # not yet a follower
    assert ada_api.account_verify_credentials()["source"]["follow_requests_count"] == 2
    waiting = ada_api.follow_requests()
    assert [a["username"] for a in waiting] == ["cy", "bob"]
    assert ada_api.account_relationships([bob.id])[0]["requested_by"] is True
    kinds = [n["type"] for n in ada_api.notifications()]
    assert kinds == ["follow_request", "follow_request"]
    approved = ada_api.follow_request_authorize(bob.id)
    assert approved["followed_by"] is True and approved["requested_by"] is False
    rejected = ada_api.follow_request_reject(cy.id)
    assert rejected["followed_by"] is False
    assert ada_api.follow_requests() == []
    assert [s["content"] for s in bob_api.account_statuses(ada.id)] == ["<p>followers only</p>"]
    assert cy_api.account_statuses(ada.id) == []
    assert cy_api.account_relationships([ada.id])[0]["requested"] is False


def test_follow_requests_page_with_link_paging(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    _lock(session, ada)
    for name in ("bob", "cy", "dee"):
        person = make_user(session, name)
        follow_requests.follow_or_request(session, follower_id=person.id, followee_id=ada.id)
    headers = token(client, ada)
    first = client.get("/api/v1/follow_requests?limit=2", headers=headers)
    assert [a["username"] for a in first.json()] == ["dee", "cy"]
    older = first.links["next"]["url"]
    assert [a["username"] for a in client.get(older, headers=headers).json()] == ["bob"]
    assert (
        client.post("/api/v1/follow_requests/999999/authorize", headers=headers).status_code == 404
    )


@pytest.fixture
def _count_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "sql_count_header", True)


@pytest.mark.usefixtures("_count_header")
def test_follow_requests_cost_the_same_for_one_or_many(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    _lock(session, ada)
    log_in(client, ada)
    headers = token(client, ada)
    counts = []
    for wanted in (1, 12):
        while follow_requests.pending_count(session, user_id=ada.id) < wanted:
            person = make_user(session)
            follow_requests.follow_or_request(session, follower_id=person.id, followee_id=ada.id)
        page = client.get("/follow_requests")
        api = client.get("/api/v1/follow_requests", headers=headers)
        assert len(api.json()) == wanted
        counts.append((page.headers[sqlcount.HEADER], api.headers[sqlcount.HEADER]))
    assert counts[0] == counts[1]


def test_htmx_follow_requests_page_fragment(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    _lock(session, ada)
    follow_requests.follow_or_request(session, follower_id=bob.id, followee_id=ada.id)
    log_in(client, ada)
    page = client.get("/follow_requests", headers=HTMX)
    assert "Approve" in page.text
    approved = htmx_post(client, f"/follow_requests/{bob.id}/authorize")
    assert "@bob follows you now" in approved.text
    assert crud.is_following(session, follower_id=bob.id, followee_id=ada.id)


def test_a_requester_gets_404_for_a_followers_only_post_until_approved(
    client: TestClient, session: Session
):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    _lock(session, ada)
    secret = crud.create_tweet(session, owner_id=ada.id, text="inner circle", visibility="private")
    follow_requests.follow_or_request(session, follower_id=bob.id, followee_id=ada.id)
    log_in(client, bob)
    assert client.get(f"/t/{secret.id}").status_code == 404
    headers = token(client, bob)
    assert client.get(f"/api/v1/statuses/{secret.id}", headers=headers).status_code == 404
    follow_requests.authorize(session, user_id=ada.id, requester_id=bob.id)
    assert client.get(f"/t/{secret.id}").status_code == 200
    assert client.get(f"/api/v1/statuses/{secret.id}", headers=headers).status_code == 200


def test_people_and_search_say_requested(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    _lock(session, ada)
    follow_requests.follow_or_request(session, follower_id=bob.id, followee_id=ada.id)
    log_in(client, bob)
    for path in ("/people", "/search?q=ada&tab=people"):
        buttons = soup(client.get(path)).select(f"#follow-{ada.id} button")
        assert [b.get_text(" ", strip=True) for b in buttons] == ["Requested @ada"], path
