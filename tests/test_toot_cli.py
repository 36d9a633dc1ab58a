"""The real `toot` CLI and Mastodon.py, from PyPI, find and follow people and tags on a live
Chirp: what issue 15 says apps could not do (they look names up with /api/v2/search)."""

import json
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import mastodon_py
from tests.py_clients import Toot
from webapp import crud
from webapp.models import User


@pytest.fixture
def toot(live_server: str, tmp_path: Path, session: Session) -> Toot:
    """Run `toot ...` as ada, logged in with its non-interactive login; config in tmp_path."""
    ada = make_user(session, "ada")
    run = Toot(tmp_path)
    run.login_cli(live_server, ada.email)
    return run


def test_toot_follows_by_name_and_shows_whois(toot: Toot, session: Session):
    bob = make_user(session, "bob")
    assert "You are now following @bob" in toot("follow", "@bob")
    ada = session.query(User).filter_by(username="ada").one()
    assert crud.is_following(session, follower_id=ada.id, followee_id=bob.id)
    whois = json.loads(toot("whois", "bob", "--json"))
    assert (whois["acct"], whois["id"]) == ("bob", str(bob.id))
    assert "@bob" in toot("whois", "@bob")
    assert "You are no longer following @bob" in toot("unfollow", "@bob")


def test_toot_searches_accounts_tags_and_posts(toot: Toot, session: Session):
    bob = make_user(session, "bob")
    make_tweet(session, bob, "fresh #coffee beans today")
    found = json.loads(toot("search", "coffee", "--json"))
    assert [s["account"]["acct"] for s in found["statuses"]] == ["bob"]
    assert [t["name"] for t in found["hashtags"]] == ["coffee"]
    printed = toot("search", "bo")
    assert "@bob" in printed


def test_toot_reads_a_tag_timeline(toot: Toot, session: Session, live_server: str):
    bob = make_user(session, "bob")
    make_tweet(session, bob, "a post about #gardening")
    make_tweet(session, bob, "#gardens is another tag")
    out = json.loads(toot("timelines", "tag", "gardening", "--json"))
    assert [s["content"] for s in out] == [
        f'<p>a post about <a href="{live_server}/tags/gardening" class="hashtag">#gardening</a></p>'
    ]
    assert "a post about" in toot("timelines", "tag", "gardening", "--no-pager")


def test_mastodon_py_searches_looks_up_and_relates(live_server: str, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    make_tweet(session, bob, "learning #python today")
    api = mastodon_py(live_server, ada.email)

    found = api.search_v2("@bob", resolve=True, result_type="accounts")
    assert [a["acct"] for a in found["accounts"]] == ["bob"]
    assert str(api.account_lookup("bob")["id"]) == str(bob.id)
    [relation] = api.account_relationships([bob.id])
    assert (relation["following"], relation["followed_by"]) == (False, True)
    assert [a["acct"] for a in api.account_search("bo")] == ["bob"]
    posts = api.search_v2("python")["statuses"]
    assert [p["account"]["acct"] for p in posts] == ["bob"]
    assert api.tag_follow("python")["following"] is True
    assert [t["name"] for t in api.followed_tags()] == ["python"]
    assert [t["name"] for t in api.trending_tags()] == ["python"]
    assert [s["id"] for s in api.timeline_hashtag("python")] == [posts[0]["id"]]
