"""Issue 19 through Mastodon.py and the web: direct conversations, featured tags,
endorsements, the profile directory and familiar followers; each at a fixed statement cost."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import mastodon_py, token
from tests.web import log_in, post_form, soup
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.crud import featured as crud_featured
from webapp.models import User


def _direct(session: Session, author: User, text: str, reply_to: int | None = None) -> int:
    tweet = crud.create_tweet(
        session, owner_id=author.id, text=text, visibility="direct", in_reply_to_id=reply_to
    )
    return tweet.id


def test_conversations_with_mastodon_py(live_server: str, session: Session):
    ada, bob, cy = (make_user(session, n) for n in ("ada", "bob", "cy"))
    first = _direct(session, ada, "@bob lunch?")
    _direct(session, cy, "@bob a secret from cy")
    bob_api = mastodon_py(live_server, bob.email)
    found = bob_api.conversations()
    assert [[a["username"] for a in c["accounts"]] for c in found] == [["cy"], ["ada"]]
    assert [c["unread"] for c in found] == [True, True]
    assert found[1]["last_status"]["content"].endswith("lunch?</p>")
    # bob answers ada: the thread moves to the top, and ada sees it unread
    reply = bob_api.status_post("@ada yes!", in_reply_to_id=first, visibility="direct")
    ada_api = mastodon_py(live_server, ada.email)
    mine = ada_api.conversations()
    assert len(mine) == 1 and mine[0]["unread"] is True
    assert mine[0]["last_status"]["id"] == reply["id"]
    assert [a["username"] for a in mine[0]["accounts"]] == ["bob"]
    assert bob_api.conversations()[0]["id"] == mine[0]["id"]  # one conversation, both sides
    assert ada_api.conversations_read(mine[0]["id"])["unread"] is False
    assert ada_api.conversations()[0]["unread"] is False
    # cy sees only her own conversation with bob, never ada's
    cy_api = mastodon_py(live_server, cy.email)
    assert [[a["username"] for a in c["accounts"]] for c in cy_api.conversations()] == [["bob"]]


def test_deleting_a_conversation_hides_it_until_a_new_post(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    first = _direct(session, ada, "@bob hi")
    headers = token(client, bob)
    conversation = client.get("/api/v1/conversations", headers=headers).json()[0]["id"]
    assert client.delete(f"/api/v1/conversations/{conversation}", headers=headers).json() == {}
    assert client.get("/api/v1/conversations", headers=headers).json() == []
    assert (
        client.post(f"/api/v1/conversations/{conversation}/read", headers=headers).status_code
        == 404
    )
    _direct(session, ada, "@bob still there?", reply_to=first)
    back = client.get("/api/v1/conversations", headers=headers).json()
    assert [c["id"] for c in back] == [conversation] and back[0]["unread"] is True


def test_someone_elses_conversation_is_404(client: TestClient, session: Session):
    ada, bob, cy = (make_user(session, n) for n in ("ada", "bob", "cy"))
    _direct(session, ada, "@bob private")
    conversation = client.get("/api/v1/conversations", headers=token(client, bob)).json()[0]["id"]
    intruder = token(client, cy)
    assert (
        client.post(f"/api/v1/conversations/{conversation}/read", headers=intruder).status_code
        == 404
    )
    assert (
        client.delete(f"/api/v1/conversations/{conversation}", headers=intruder).status_code == 404
    )


def test_conversations_page_with_link_paging(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    for name in ("bob", "cy", "dee"):
        make_user(session, name)
        _direct(session, ada, f"@{name} hello {name}")
    headers = token(client, ada)
    first = client.get("/api/v1/conversations?limit=2", headers=headers)
    names = [c["accounts"][0]["username"] for c in first.json()]
    assert names == ["dee", "cy"]
    older = client.get(first.links["next"]["url"], headers=headers).json()
    assert [c["accounts"][0]["username"] for c in older] == ["bob"]


def test_messages_page_lists_direct_conversations(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    _direct(session, ada, "@bob see you at noon")
    make_tweet(session, ada, "a public post is no message")
    log_in(client, bob)
    page = client.get("/messages")
    items = soup(page).select(".message")
    assert len(items) == 1
    assert "ada" in items[0].get_text() and "see you at noon" in items[0].get_text()
    assert "new" in items[0].get_text()
    assert "new" not in soup(client.get("/messages")).select_one(".message").get_text()  # seen


def test_featured_tags_with_mastodon_py(live_server: str, session: Session, client: TestClient):
    ada = make_user(session, "ada")
    for text in ("#cats are great", "more #cats", "#dogs too"):
        make_tweet(session, ada, text)
    crud.create_tweet(session, owner_id=ada.id, text="secret #cats", visibility="direct")
    api = mastodon_py(live_server, ada.email)
    assert [t["name"] for t in api.featured_tag_suggestions()] == ["cats", "dogs"]
    made = api.featured_tag_create("#Cats")
    assert made["name"] == "cats" and made["statuses_count"] == "2"  # the direct post is not shown
    assert made["last_status_at"] is not None
    assert [t["name"] for t in api.featured_tags()] == ["cats"]
    assert [t["name"] for t in api.account_featured_tags(ada.id)] == ["cats"]
    assert [t["name"] for t in api.featured_tag_suggestions()] == ["dogs"]
    headers = token(client, ada)
    again = client.post("/api/v1/featured_tags", data={"name": "cats"}, headers=headers)
    assert again.status_code == 422 and "already featured" in again.json()["error"]
    bad = client.post("/api/v1/featured_tags", data={"name": "not a tag!"}, headers=headers)
    assert bad.status_code == 422
    # shown on the profile page
    page = client.get("/@ada")
    assert [a.get_text() for a in soup(page).select(".featured-tags a")] == ["#cats"]
    api.featured_tag_delete(made["id"])
    assert api.featured_tags() == []
    assert client.delete(f"/api/v1/featured_tags/{made['id']}", headers=headers).status_code == 404


def test_endorsements_with_mastodon_py(live_server: str, session: Session, client: TestClient):
    ada, bob, cy = (make_user(session, n) for n in ("ada", "bob", "cy"))
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    api = mastodon_py(live_server, ada.email)
    assert api.endorsements() == []
    assert api.account_pin(bob.id)["endorsed"] is True
    assert [a["username"] for a in api.endorsements()] == ["bob"]
    public = client.get(f"/api/v1/accounts/{ada.id}/endorsements").json()
    assert [a["username"] for a in public] == ["bob"]
    refused = client.post(f"/api/v1/accounts/{cy.id}/pin", headers=token(client, ada))
    assert refused.status_code == 422 and "people you follow" in refused.json()["error"]
    assert api.account_unpin(bob.id)["endorsed"] is False
    api.account_pin(bob.id)
    api.account_unfollow(bob.id)  # unfollowing takes the endorsement with it
    assert api.endorsements() == []


def test_directory_with_mastodon_py(live_server: str, session: Session):
    ada, bob, _ = (make_user(session, n) for n in ("ada", "bob", "cy"))
    make_tweet(session, ada, "ada posts")
    make_tweet(session, bob, "bob posts later")
    api = mastodon_py(live_server, ada.email)
    active = [a["username"] for a in api.directory(order="active")]
    assert active[:3] == ["bob", "ada", "cy"]
    newest = [a["username"] for a in api.directory(order="new", local=True)]
    assert newest[:3] == ["cy", "bob", "ada"]
    assert [a["username"] for a in api.directory(order="new", offset=1, limit=1)] == ["bob"]


def test_directory_refuses_a_bad_order(client: TestClient):
    response = client.get("/api/v1/directory?order=loudest")
    assert response.status_code == 422 and "error" in response.json()


def test_familiar_followers_with_mastodon_py(
    live_server: str, session: Session, client: TestClient
):
    ada, bob, cy, dee, eve = (make_user(session, n) for n in ("ada", "bob", "cy", "dee", "eve"))
    for follower, followee in [
        (ada, bob),
        (ada, cy),
        (bob, dee),
        (cy, dee),
        (bob, eve),
        (eve, dee),
    ]:
        crud.follow(session, follower_id=follower.id, followee_id=followee.id)
    api = mastodon_py(live_server, ada.email)
    found = api.account_familiar_followers([dee.id, eve.id])
    by_id = {str(f["id"]): sorted(a["username"] for a in f["accounts"]) for f in found}
    assert by_id == {str(dee.id): ["bob", "cy"], str(eve.id): ["bob"]}
    query = client.get(
        f"/api/v1/accounts/familiar_followers?id[]={dee.id}&id[]={eve.id}",
        headers=token(client, ada),
    )
    assert [len(f["accounts"]) for f in query.json()] == [2, 1]


@pytest.fixture
def _count_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "sql_count_header", True)


def _cost(client: TestClient, path: str, headers: dict[str, str]) -> int:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    return int(response.headers[sqlcount.HEADER])


@pytest.mark.usefixtures("_count_header")
def test_social_endpoints_cost_the_same_for_few_or_many(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    headers = token(client, ada)
    log_in(client, ada)
    paths = [
        "/api/v1/conversations",
        "/api/v1/directory",
        "/api/v1/endorsements",
        "/api/v1/featured_tags",
        f"/api/v1/accounts/familiar_followers?id[]={ada.id}",
        "/messages",
    ]
    costs = []
    for size in (1, 6):
        while len(crud.list_users(session)) < size * 2 + 1:
            person, fan = make_user(session), make_user(session)
            crud.follow(session, follower_id=ada.id, followee_id=person.id)
            crud.follow(session, follower_id=person.id, followee_id=ada.id)
            crud.follow(session, follower_id=fan.id, followee_id=person.id)
            client.post(f"/api/v1/accounts/{person.id}/pin", headers=headers)
            _direct(session, ada, f"@{person.username} @{fan.username} hi")
            make_tweet(session, ada, f"#tag{person.id}")
            client.post("/api/v1/featured_tags", data={"name": f"tag{person.id}"}, headers=headers)
        costs.append([_cost(client, path, headers) for path in paths])
    assert costs[0] == costs[1]


def test_feature_and_remove_a_tag_on_the_web(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    make_tweet(session, ada, "I love #gardening")
    log_in(client, ada)
    page = client.get("/settings/featured_tags")
    assert "You use: gardening" in page.text
    assert post_form(client, "/settings/featured_tags", {"name": "#gardening"}).status_code == 303
    shown = soup(client.get("/@ada")).select(".featured-tags li")
    assert [li.get_text(" ", strip=True) for li in shown] == ["#gardening 1 post"]
    refused = post_form(client, "/settings/featured_tags", {"name": "two words"})
    assert refused.status_code == 422
    assert "letters, digits and underscores" in soup(refused).find(id="name-error").text
    featured_id = crud_featured.featured_tags(session, user_id=ada.id)[0].row.id
    removed = post_form(client, f"/settings/featured_tags/{featured_id}/delete")
    assert removed.status_code == 303
    assert soup(client.get("/@ada")).select(".featured-tags li") == []
