"""Who may see a post, through every listing on every surface: web pages, the seed JSON API
and the Mastodon API, as the author, a follower, a mentioned person and a stranger.

ada writes one post of each visibility (all tagged #vis), and a public post with one reply
of each visibility from her follower fay. Only the rule decides what each person finds.
"""

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer, make_user
from tests.mastodon_helpers import token
from tests.web import log_in, soup
from webapp import crud
from webapp.main import app
from webapp.models import User

KINDS = ("public", "unlisted", "private", "direct")
# What each person may see of ada's four posts.
SEES = {
    "ada": {"public", "unlisted", "private", "direct"},  # the author
    "fay": {"public", "unlisted", "private"},  # follows ada
    "mia": {"public", "unlisted", "direct"},  # mentioned in the direct post
    "sam": {"public", "unlisted"},  # a stranger
    None: {"public", "unlisted"},  # nobody signed in
}


@dataclass
class World:
    people: dict[str, User]
    posts: dict[str, int]  # visibility -> id of ada's post
    root: int  # ada's public post that fay answered four ways
    replies: dict[str, int]  # visibility -> id of fay's reply


@pytest.fixture
def world(session: Session) -> World:
    people = {name: make_user(session, name) for name in ("ada", "fay", "mia", "sam")}
    ada, fay = people["ada"], people["fay"]
    crud.follow(session, follower_id=fay.id, followee_id=ada.id)
    crud.follow(session, follower_id=ada.id, followee_id=fay.id)
    posts = {
        kind: crud.create_tweet(
            session, owner_id=ada.id, text=f"{kind} post #vis @mia", visibility=kind
        ).id
        for kind in KINDS
    }
    root = crud.create_tweet(session, owner_id=ada.id, text="root of the thread").id
    replies = {
        kind: crud.create_tweet(
            session,
            owner_id=fay.id,
            text=f"{kind} reply @ada",
            visibility=kind,
            in_reply_to_id=root,
        ).id
        for kind in KINDS
    }
    return World(people, posts, root, replies)


def texts(client: TestClient, path: str) -> set[str]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return {p.get_text() for p in soup(response).select("article.tweet .tweet-text")}


def seen_posts(found: set[str]) -> set[str]:
    return {kind for kind in KINDS if f"{kind} post #vis @mia" in found}


def seen_replies(found: set[str]) -> set[str]:
    return {kind for kind in KINDS if f"{kind} reply @ada" in found}


def browser_as(name: str | None, world: World) -> TestClient:
    client = TestClient(app)
    if name:
        log_in(client, world.people[name])
    return client


# What a reply on fay's side may show: the same rule, with fay the author and ada following
# her, and ada mentioned in every reply.
REPLY_SEES = {
    "ada": {"public", "unlisted", "private", "direct"},  # follows fay and is mentioned
    "fay": {"public", "unlisted", "private", "direct"},  # the author
    "mia": {"public", "unlisted"},
    "sam": {"public", "unlisted"},
    None: {"public", "unlisted"},
}


@pytest.mark.parametrize("name", ["ada", "fay", "mia", "sam", None])
def test_web_pages_show_each_person_exactly_what_they_may_see(world: World, name: str | None):
    with browser_as(name, world) as client:
        assert seen_posts(texts(client, "/?feed=everyone")) == {"public"}
        assert seen_posts(texts(client, "/tags/vis")) == {"public"}
        assert seen_posts(texts(client, "/@ada")) == SEES[name]
        assert seen_posts(texts(client, "/@ada/replies")) == SEES[name]
        assert seen_replies(texts(client, "/@fay/replies")) == REPLY_SEES[name]
        assert seen_replies(texts(client, f"/t/{world.root}")) == REPLY_SEES[name]
        for kind, tweet_id in world.posts.items():
            status = client.get(f"/t/{tweet_id}").status_code
            assert status == (200 if kind in SEES[name] else 404), (kind, status)
            for action in ("reply", "quote"):
                if name and kind not in SEES[name]:
                    assert client.get(f"/t/{tweet_id}/{action}").status_code == 404


@pytest.mark.parametrize("name", ["ada", "fay", "mia", "sam"])
def test_home_timelines_hold_only_what_each_person_may_see(world: World, name: str):
    home_sees = {
        "ada": SEES["ada"],
        "fay": SEES["fay"],
        "mia": set(),  # follows nobody: a direct post does not reach a home timeline
        "sam": set(),
    }
    with browser_as(name, world) as client:
        assert seen_posts(texts(client, "/")) == home_sees[name]


def test_a_hidden_reply_is_not_counted(world: World, session: Session):
    """The root's reply count counts the replies everyone may see: public and unlisted."""
    with browser_as("sam", world) as client:
        page = soup(client.get(f"/t/{world.root}"))
        count = page.select_one("section.single article.tweet a.reply .count").get_text()
    assert count == "2"


def test_a_hidden_post_is_a_404_to_every_action(world: World, session: Session):
    sam = world.people["sam"]
    private = world.posts["private"]
    for act in (crud.like, crud.unlike):
        with pytest.raises(crud.NotFound):
            act(session, user_id=sam.id, tweet_id=private)
    with pytest.raises(crud.NotFound):
        crud.create_tweet(session, owner_id=sam.id, text="hi", in_reply_to_id=private)
    with pytest.raises(crud.NotFound):
        crud.create_tweet(session, owner_id=sam.id, text="look", quote_of_id=private)
    with pytest.raises(crud.NotFound):
        crud.delete_tweet(session, tweet_id=private, user_id=sam.id)


def test_the_seed_json_api_lists_only_what_anyone_may_see(
    world: World, client: TestClient, session: Session
):
    ada = world.people["ada"]
    everyone = {t["text"] for t in client.get("/tweets/").json()}
    assert seen_posts(everyone) == {"public"}
    hers = {t["text"] for t in client.get(f"/users/{ada.id}/tweets/").json()}
    assert seen_posts(hers) == {"public", "unlisted"}
    # fay likes all she may see; the likes lists show none of the private one
    fay = world.people["fay"]
    for kind in ("public", "unlisted", "private"):
        crud.like(session, user_id=fay.id, tweet_id=world.posts[kind])
    liked = {t["text"] for t in client.get(f"/users/{fay.id}/liked_tweets/").json()}
    assert seen_posts(liked) == {"public", "unlisted"}
    likes = {like["tweet_id"] for like in client.get(f"/users/{fay.id}/likes/").json()}
    assert likes == {world.posts["public"], world.posts["unlisted"]}


@pytest.mark.parametrize("name", ["ada", "fay", "mia", "sam", None])
def test_json_api_replies_follow_the_rule(world: World, client: TestClient, name: str | None):
    headers = bearer(client, world.people[name]) if name else {}
    replies = client.get(f"/tweets/{world.root}/replies/", headers=headers).json()
    assert seen_replies({r["text"] for r in replies}) == REPLY_SEES[name]
    private = client.get(f"/tweets/{world.posts['private']}/replies/", headers=headers)
    assert private.status_code == (200 if "private" in SEES[name] else 404)


@pytest.mark.parametrize("name", ["ada", "fay", "mia", "sam", None])
def test_mastodon_api_follows_the_rule(world: World, client: TestClient, name: str | None):
    headers = token(client, world.people[name]) if name else {}
    ada = world.people["ada"]

    def contents(path: str) -> set[str]:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, (path, response.text)
        return {s["content"] for s in response.json()}

    def kinds(found: set[str]) -> set[str]:
        return {k for k in KINDS if any(c.startswith(f"<p>{k} post ") for c in found)}

    assert kinds(contents("/api/v1/timelines/public")) == {"public"}
    assert kinds(contents(f"/api/v1/accounts/{ada.id}/statuses")) == SEES[name]
    for kind, tweet_id in world.posts.items():
        one = client.get(f"/api/v1/statuses/{tweet_id}", headers=headers)
        assert one.status_code == (200 if kind in SEES[name] else 404)
        if one.status_code == 200:
            assert one.json()["visibility"] == kind
        else:
            assert one.json() == {"error": "Record not found"}
    context = client.get(f"/api/v1/statuses/{world.root}/context", headers=headers).json()
    shown = {s["content"] for s in context["descendants"]}
    assert {k for k in KINDS if any(f"<p>{k} reply" in c for c in shown)} == REPLY_SEES[name]
    if name:
        home = kinds(contents("/api/v1/timelines/home"))
        assert home == {"ada": SEES["ada"], "fay": SEES["fay"]}.get(name, set())
