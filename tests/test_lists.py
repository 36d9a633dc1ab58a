"""Lists: a timeline of chosen people, on the web and through the Mastodon API (and
Mastodon.py), private to their owner."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import mastodon_py, token
from tests.web import log_in, post_form, soup
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.crud import lists
from webapp.models import User


def _people(session: Session) -> tuple[User, User, User]:
    ada, bob, cy = (make_user(session, name) for name in ("ada", "bob", "cy"))
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    crud.follow(session, follower_id=ada.id, followee_id=cy.id)
    return ada, bob, cy


def _texts(page: object) -> list[str]:
    return [p.get_text(strip=True) for p in soup(page).select(".tweet-text")]  # type: ignore[arg-type]


def test_a_list_shows_only_its_peoples_posts(client: TestClient, session: Session):
    ada, bob, cy = _people(session)
    make_tweet(session, bob, "bob writes")
    make_tweet(session, cy, "cy writes")
    log_in(client, ada)
    made = post_form(client, "/lists", {"title": "Close friends"})
    assert made.status_code == 303
    url = made.headers["location"]
    assert post_form(client, f"{url}/members", {"handle": "@bob"}).status_code == 303
    page = client.get(url)
    assert "Close friends" in page.text and "Remove @bob" in page.text
    assert _texts(page) == ["bob writes"]
    assert "Close friends" in client.get("/lists").text


def test_only_people_you_follow_can_be_added(client: TestClient, session: Session):
    ada, _, _ = _people(session)
    make_user(session, "stranger")
    log_in(client, ada)
    url = post_form(client, "/lists", {"title": "Mixed"}).headers["location"]
    refused = post_form(client, f"{url}/members", {"handle": "stranger"})
    assert refused.status_code == 422
    assert "only add people you follow" in soup(refused).find(id="handle-error").text
    assert soup(refused).find(id="handle")["value"] == "stranger"  # what was typed is kept
    nobody = post_form(client, f"{url}/members", {"handle": "ghost"})
    assert "nobody called @ghost" in nobody.text


def test_a_list_needs_a_title(client: TestClient, session: Session):
    log_in(client, make_user(session, "ada"))
    refused = post_form(client, "/lists", {"title": "   "})
    assert refused.status_code == 422 and "needs a title" in refused.text


def test_lists_are_private_to_their_owner(client: TestClient, session: Session):
    ada, bob, _ = _people(session)
    row = lists.create_list(session, owner_id=ada.id, title="Mine").id
    log_in(client, bob)
    assert client.get(f"/lists/{row}").status_code == 404
    assert post_form(client, f"/lists/{row}/delete").status_code == 404
    headers = token(client, bob)
    assert client.get(f"/api/v1/lists/{row}", headers=headers).status_code == 404
    assert client.get(f"/api/v1/timelines/list/{row}", headers=headers).status_code == 404


def test_rename_delete_and_unfollow_removes_from_lists(client: TestClient, session: Session):
    ada, bob, _ = _people(session)
    log_in(client, ada)
    url = post_form(client, "/lists", {"title": "Old"}).headers["location"]
    post_form(client, f"{url}/members", {"handle": "bob"})
    post_form(client, f"{url}/rename", {"title": "New"})
    assert '<h1 id="list-title">New</h1>' in client.get(url).text
    post_form(client, f"/@{bob.username}/unfollow")
    assert "Remove @bob" not in client.get(url).text
    assert post_form(client, f"{url}/delete").headers["location"] == "/lists"
    assert client.get(url).status_code == 404


def test_mastodon_lists_api(client: TestClient, session: Session):
    ada, bob, cy = _people(session)
    headers = token(client, ada)
    made = client.post(
        "/api/v1/lists", json={"title": "Work", "replies_policy": "followed"}, headers=headers
    )
    assert made.status_code == 200
    entity = made.json()
    assert entity["title"] == "Work" and entity["replies_policy"] == "followed"
    list_id = entity["id"]
    added = client.post(
        f"/api/v1/lists/{list_id}/accounts",
        data={"account_ids[]": [str(bob.id), str(cy.id)]},
        headers=headers,
    )
    assert added.status_code == 200
    members = client.get(f"/api/v1/lists/{list_id}/accounts", headers=headers).json()
    assert {m["acct"] for m in members} == {"bob", "cy"}
    stranger = make_user(session, "stranger")
    refused = client.post(
        f"/api/v1/lists/{list_id}/accounts",
        json={"account_ids": [str(stranger.id)]},
        headers=headers,
    )
    assert refused.status_code == 422 and "follow" in refused.json()["error"]
    first = make_tweet(session, bob, "one")
    make_tweet(session, stranger, "not in the list")
    second = make_tweet(session, cy, "two")
    timeline = client.get(f"/api/v1/timelines/list/{list_id}", headers=headers).json()
    assert [s["id"] for s in timeline] == [str(second.id), str(first.id)]
    newer = client.get(f"/api/v1/timelines/list/{list_id}?since_id={first.id}", headers=headers)
    assert [s["id"] for s in newer.json()] == [str(second.id)]
    lists_of_bob = client.get(f"/api/v1/accounts/{bob.id}/lists", headers=headers).json()
    assert [row["title"] for row in lists_of_bob] == ["Work"]
    client.put(f"/api/v1/lists/{list_id}", json={"title": "Job"}, headers=headers)
    assert client.get("/api/v1/lists", headers=headers).json()[0]["title"] == "Job"
    client.request(
        "DELETE",
        f"/api/v1/lists/{list_id}/accounts",
        data={"account_ids[]": str(cy.id)},
        headers=headers,
    )
    assert len(client.get(f"/api/v1/lists/{list_id}/accounts", headers=headers).json()) == 1
    assert client.delete(f"/api/v1/lists/{list_id}", headers=headers).json() == {}
    assert client.get("/api/v1/lists", headers=headers).json() == []
    assert client.post("/api/v1/lists", json={"title": ""}, headers=headers).status_code == 422


def test_mastodon_py_drives_lists(live_server: str, session: Session):
    ada, bob, _ = _people(session)
    make_tweet(session, bob, "listed post")
    api = mastodon_py(live_server, ada.email)
    made = api.list_create("Friends")
    api.list_accounts_add(made["id"], [bob.id])
    assert [a["acct"] for a in api.list_accounts(made["id"])] == ["bob"]
    assert [s["content"] for s in api.timeline_list(made["id"])] == ["<p>listed post</p>"]
    assert [row["title"] for row in api.lists()] == ["Friends"]
    api.list_delete(made["id"])
    assert api.lists() == []


@pytest.mark.parametrize("people", [1, 12])
def test_a_list_page_costs_the_same_whatever_it_holds(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch, people: int
):
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada = make_user(session, "ada")
    row = lists.create_list(session, owner_id=ada.id, title="Many")
    for n in range(people):
        person = make_user(session, f"p{n}")
        crud.follow(session, follower_id=ada.id, followee_id=person.id)
        for i in range(3):
            make_tweet(session, person, f"post {i}")
        lists.add_members(session, list_id=row.id, owner_id=ada.id, user_ids=[person.id])
    log_in(client, ada)
    page = client.get(f"/lists/{row.id}")
    # session, list + timeline, list + members: five, for 1 or 12 people and their posts
    assert int(page.headers[sqlcount.HEADER]) == 5


def test_a_list_shows_only_what_its_owner_may_see_and_its_replies_policy(
    client: TestClient, session: Session
):
    ada, bob, cy = _people(session)
    row = lists.create_list(session, owner_id=ada.id, title="Both")
    lists.add_members(session, list_id=row.id, owner_id=ada.id, user_ids=[bob.id, cy.id])
    make_tweet(session, bob, "open post")
    crud.create_tweet(session, owner_id=bob.id, text="for followers", visibility="private")
    crud.create_tweet(session, owner_id=bob.id, text="@cy only you", visibility="direct")
    stranger = make_user(session, "stranger")
    far = make_tweet(session, stranger, "elsewhere")
    crud.create_tweet(session, owner_id=cy.id, text="@stranger hi", in_reply_to_id=far.id)
    log_in(client, ada)
    # bob's direct post is for cy alone; cy's reply to someone off the list stays out
    assert _texts(client.get(f"/lists/{row.id}")) == ["for followers", "open post"]
    bobs = crud.list_user_tweets(session, bob.id)[0]
    crud.create_tweet(session, owner_id=cy.id, text="@bob answer", in_reply_to_id=bobs.id)
    assert "answer" in " ".join(_texts(client.get(f"/lists/{row.id}")))  # replies_policy list
    lists.update_list(session, list_id=row.id, owner_id=ada.id, replies_policy="none")
    assert "answer" not in " ".join(_texts(client.get(f"/lists/{row.id}")))
