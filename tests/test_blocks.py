"""Block (issue 17): the blocker and the blocked person no longer see each other anywhere, on
the web and through the Mastodon API: home, everyone, profile, /t/<id>, tags, search,
notifications, lists, thread context, who liked or reposted, suggestions. Follows end both
ways and cannot start again."""

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import token
from tests.web import HTMX, csrf_token, log_in, post_form, soup
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.crud import blocks, conversations, lists
from webapp.models import Tweet, User


@dataclass
class World:
    ada: User  # blocks bob
    bob: User
    cy: User  # a bystander both follow
    ada_post: Tweet
    bob_post: Tweet
    bob_reply: Tweet  # bob's reply to ada's post
    cy_reply: Tweet  # cy's reply to ada's post
    list_id: int


def texts(response: object) -> list[str]:
    return [p.get_text(" ", strip=True) for p in soup(response).select(".tweet-text")]  # type: ignore[arg-type]


def authors(response: object) -> list[str]:
    """Who each card shows: its author, and who reposted it."""
    cards = soup(response).select("article.tweet")  # type: ignore[arg-type]
    found = [a.get("href", "")[2:] for c in cards for a in c.select("a.author, .reposted-by a")]
    return [str(name) for name in found]


def _follow_all(session: Session, *people: User) -> None:
    for one in people:
        for other in people:
            if one.id != other.id:
                crud.follow(session, follower_id=one.id, followee_id=other.id)


@pytest.fixture
def world(session: Session) -> World:
    ada, bob, cy = (make_user(session, name) for name in ("ada", "bob", "cy"))
    _follow_all(session, ada, bob, cy)
    ada_post = make_tweet(session, ada, "ada speaks #topic")
    bob_post = make_tweet(session, bob, "bob speaks #topic")
    make_tweet(session, cy, "cy speaks #topic")
    conversations.repost(session, user_id=cy.id, tweet_id=bob_post.id)  # cy shares bob's
    conversations.repost(session, user_id=cy.id, tweet_id=ada_post.id)  # and ada's
    bob_reply = crud.create_tweet(
        session, owner_id=bob.id, text="@ada bob answers", in_reply_to_id=ada_post.id
    )
    cy_reply = crud.create_tweet(
        session, owner_id=cy.id, text="@ada cy answers", in_reply_to_id=ada_post.id
    )
    crud.like(session, user_id=bob.id, tweet_id=ada_post.id)
    crud.like(session, user_id=cy.id, tweet_id=ada_post.id)
    crud.like(session, user_id=ada.id, tweet_id=bob_post.id)
    row = lists.create_list(session, owner_id=ada.id, title="Friends")
    lists.add_members(session, list_id=row.id, owner_id=ada.id, user_ids=[bob.id, cy.id])
    bobs_list = lists.create_list(session, owner_id=bob.id, title="Bob's")
    lists.add_members(session, list_id=bobs_list.id, owner_id=bob.id, user_ids=[ada.id, cy.id])
    blocks.block(session, blocker_id=ada.id, blocked_id=bob.id)
    return World(ada, bob, cy, ada_post, bob_post, bob_reply, cy_reply, row.id)


def _nothing_of(name: str, response: object) -> None:
    shown = authors(response)
    assert shown, "the page shows posts at all"
    assert name not in shown, shown


def test_blocking_ends_follows_both_ways_and_refuses_new_ones(session: Session, world: World):
    ada, bob = world.ada, world.bob
    assert not crud.is_following(session, follower_id=ada.id, followee_id=bob.id)
    assert not crud.is_following(session, follower_id=bob.id, followee_id=ada.id)
    assert crud.is_following(session, follower_id=bob.id, followee_id=world.cy.id)
    for one, other in ((ada, bob), (bob, ada)):
        with pytest.raises(crud.Forbidden, match="can't follow"):
            crud.follow(session, follower_id=one.id, followee_id=other.id)
    # the lists of both hold people they follow only
    members = lists.members(session, list_id=world.list_id, owner_id=ada.id)
    assert [m.username for m in members] == ["cy"]


def test_blocker_sees_nothing_of_the_blocked_on_the_web(client: TestClient, world: World):
    log_in(client, world.ada)
    home = client.get("/")
    assert "cy speaks #topic" in texts(home) and "ada speaks #topic" in texts(home)
    _nothing_of("bob", home)  # nor cy's repost of bob's post
    _nothing_of("bob", client.get("/?feed=everyone"))
    _nothing_of("bob", client.get("/tags/topic"))
    _nothing_of("bob", client.get("/search?q=speaks"))
    _nothing_of("bob", client.get(f"/lists/{world.list_id}"))
    assert client.get(f"/t/{world.bob_post.id}").status_code == 404
    assert client.get(f"/t/{world.bob_reply.id}").status_code == 404
    thread = texts(client.get(f"/t/{world.ada_post.id}"))
    assert "@ada cy answers" in thread and "@ada bob answers" not in thread
    people = soup(client.get("/search?q=b&tab=people")).get_text()
    assert "@bob" not in people
    assert "bob" not in client.get("/search/suggest?q=bo").text


def test_blocker_sees_you_blocked_and_unblock_on_the_profile(client: TestClient, world: World):
    log_in(client, world.ada)
    page = client.get("/@bob")
    assert page.status_code == 200
    assert "You blocked @bob." in page.text
    assert soup(page).select_one(".block-controls button").get_text(" ", strip=True) == (
        "Unblock @bob"
    )
    assert texts(page) == [] and not soup(page).select(".follow-box form")  # no posts, no follow
    assert post_form(client, "/@bob/unblock").status_code == 303
    again = client.get("/@bob")
    assert "bob speaks #topic" in texts(again) and "You blocked" not in again.text
    assert soup(again).select_one(".follow-box form button").get_text(strip=True) == "Follow@bob"


def test_blocked_person_gets_a_stranger_s_view(client: TestClient, world: World):
    log_in(client, world.bob)
    page = client.get("/@ada")
    assert page.status_code == 200 and texts(page) == []
    assert "You blocked" not in page.text
    assert client.get(f"/t/{world.ada_post.id}").status_code == 404
    assert client.get(f"/t/{world.ada_post.id}/reply").status_code == 404
    home = client.get("/")
    assert "cy speaks #topic" in texts(home)
    _nothing_of("ada", home)  # nor cy's repost of ada's post
    _nothing_of("ada", client.get("/?feed=everyone"))
    _nothing_of("ada", client.get("/tags/topic"))
    _nothing_of("ada", client.get("/search?q=speaks"))
    assert "@ada" not in soup(client.get("/search?q=a&tab=people")).get_text()
    refused = post_form(client, "/@ada/follow")
    assert refused.status_code == 403 and "can't follow" in soup(refused).get_text()
    assert client.post(f"/t/{world.ada_post.id}/like", data={"csrf_token": csrf_token(client)},
                       follow_redirects=False).status_code == 404  # fmt: skip


def test_no_notifications_either_way(client: TestClient, session: Session, world: World):
    ada, bob = world.ada, world.bob
    crud.create_tweet(session, owner_id=bob.id, text="hey @ada")  # a mention after the block
    log_in(client, ada)
    page = soup(client.get("/notifications")).select("li.notification")
    lines = " ".join(li.get_text(" ", strip=True) for li in page)
    assert "cy" in lines and "bob" not in lines  # the earlier like and follow went too
    log_in(client, bob)
    lines = " ".join(li.get_text(" ", strip=True) for li in
                     soup(client.get("/notifications")).select("li.notification"))  # fmt: skip
    assert "ada" not in lines


def test_suggestions_and_likers_leave_blocked_out(
    client: TestClient, session: Session, world: World
):
    from webapp.crud import discovery

    dee = make_user(session, "dee")
    crud.follow(session, follower_id=dee.id, followee_id=world.cy.id)
    suggested = discovery.who_to_follow(session, user_id=dee.id, limit=5)
    assert "bob" in [s.user.username for s in suggested]
    crud.follow(session, follower_id=world.cy.id, followee_id=dee.id)
    for_ada = discovery.who_to_follow(session, user_id=world.ada.id, limit=10)
    assert "bob" not in [s.user.username for s in for_ada]
    likers = conversations.likers(
        session, tweet_id=world.ada_post.id, viewer_id=world.ada.id, limit=40
    )
    assert [u.username for u in likers] == ["cy"]


def _api(client: TestClient, headers: dict[str, str], path: str) -> list[str]:
    response = client.get(path, headers=headers)
    assert response.status_code == 200, response.text
    body = response.json()
    rows = body if isinstance(body, list) else body["statuses"]
    return [s["account"]["acct"] + ":" + (s["reblog"] or s)["account"]["acct"] for s in rows]


LISTINGS_API = [
    "/api/v1/timelines/home",
    "/api/v1/timelines/public",
    "/api/v1/timelines/tag/topic",
    "/api/v2/search?q=speaks&type=statuses",
]


def test_mastodon_api_as_blocker_and_blocked(client: TestClient, world: World):
    for me, other in ((world.ada, "bob"), (world.bob, "ada")):
        headers = token(client, me)
        for path in LISTINGS_API:
            shown = _api(client, headers, path)
            assert shown and not [s for s in shown if other in s.split(":")], (path, shown)
        other_user = world.bob if other == "bob" else world.ada
        statuses = client.get(f"/api/v1/accounts/{other_user.id}/statuses", headers=headers)
        assert statuses.json() == []
        post = world.bob_post if other == "bob" else world.ada_post
        assert client.get(f"/api/v1/statuses/{post.id}", headers=headers).status_code == 404
        found = client.get(f"/api/v2/search?q={other}&type=accounts", headers=headers).json()
        assert found["accounts"] == []
        notes = client.get("/api/v1/notifications", headers=headers).json()
        assert other not in {n["account"]["acct"] for n in notes}
    headers = token(client, world.ada)
    context = client.get(f"/api/v1/statuses/{world.ada_post.id}/context", headers=headers)
    assert [s["account"]["acct"] for s in context.json()["descendants"]] == ["cy"]
    liked_by = client.get(f"/api/v1/statuses/{world.ada_post.id}/favourited_by", headers=headers)
    assert [a["acct"] for a in liked_by.json()] == ["cy"]
    listed = _api(client, headers, f"/api/v1/timelines/list/{world.list_id}")
    assert listed and not [s for s in listed if "bob" in s.split(":")]
    refused = client.post(f"/api/v1/accounts/{world.bob.id}/follow", headers=headers)
    assert refused.status_code == 403 and "can't follow" in refused.json()["error"]


def test_block_and_unblock_from_the_profile_with_htmx(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    make_tweet(session, bob, "bob was here")
    log_in(client, ada)
    headers = HTMX | {"X-CSRF-Token": csrf_token(client, "/@bob")}
    blocked = client.post("/@bob/block", headers=headers)
    assert blocked.status_code == 200
    html = soup(blocked)
    assert (
        html.select_one(".block-controls").get_text(" ", strip=True).startswith("You blocked @bob.")
    )
    assert html.select_one("#timeline")["hx-swap-oob"] == "true"
    assert "bob was here" not in blocked.text
    assert html.select_one(f"#follow-{bob.id}")["hx-swap-oob"] == "true"
    assert not html.select(f"#follow-{bob.id} form")  # no follow button while blocked
    unblocked = client.post("/@bob/unblock", headers=headers)
    assert "bob was here" in unblocked.text and "Block" in unblocked.text
    assert not crud.is_following(session, follower_id=ada.id, followee_id=bob.id)


def test_settings_blocks_lists_and_undoes(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    for name in ("bob", "cy"):
        make_user(session, name)
    log_in(client, ada)
    assert post_form(client, "/@bob/block").status_code == 303
    assert post_form(client, "/@cy/mute", {"duration": "3600"}).status_code == 303
    page = client.get("/settings/blocks")
    blocked = [li.a.get_text(" ", strip=True) for li in soup(page).select(".blocked-list li")]
    muted = soup(page).select(".muted-list li")
    assert blocked == ["bob @bob"]
    assert len(muted) == 1 and "until" in muted[0].get_text() and "@cy" in muted[0].get_text()
    referer = {"referer": "http://testserver/settings/blocks"}
    done = post_form(client, "/@bob/unblock", headers=referer)
    assert done.headers["location"] == "/settings/blocks"
    post_form(client, "/@cy/unmute", headers=referer)
    again = client.get("/settings/blocks").text
    assert "You haven't blocked anyone." in again and "You haven't muted anyone." in again
    assert client.get("/settings").text.count("/settings/blocks") == 1


def test_refusals_are_plain_words(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    make_user(session, "bob")
    log_in(client, ada)
    itself = post_form(client, "/@ada/block")
    assert itself.status_code == 400 and "cannot block or mute yourself" in itself.text
    bad = post_form(client, "/@bob/mute", {"duration": "2 weeks"})
    assert bad.status_code == 400 and "Choose how long to mute" in bad.text
    assert post_form(client, "/@nobody/block").status_code == 404
    headers = token(client, ada)
    bob = crud.get_user_by_username(session, "bob")
    wrong = client.post(f"/api/v1/accounts/{bob.id}/mute", data={"duration": "x"}, headers=headers)
    assert wrong.status_code == 422 and "duration" in wrong.json()["error"]
    assert client.post("/api/v1/accounts/99999/block", headers=headers).status_code == 404


@pytest.mark.parametrize("people", [1, 6])
def test_settings_blocks_and_a_blocked_profile_cost_fixed_statements(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch, people: int
):
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada = make_user(session, "ada")
    for n in range(people):
        other = make_user(session, f"p{n}")
        make_tweet(session, other, "a post")
        blocks.block(session, blocker_id=ada.id, blocked_id=other.id)
        blocks.mute(session, muter_id=ada.id, muted_id=other.id, duration=60)
    log_in(client, ada)
    page = client.get("/settings/blocks")
    assert int(page.headers[sqlcount.HEADER]) == 3  # session, blocked, muted
    profile = client.get("/@p0")
    assert int(profile.headers[sqlcount.HEADER]) == 7  # as any other profile
