"""Conversations through the real Mastodon.py client against a live Chirp: replies and their
context, reblogs, visibility, and the account filters a client uses for its profile tabs."""

import pytest
from mastodon.errors import MastodonNotFoundError
from sqlalchemy.orm import Session

from tests.factories import make_user
from tests.mastodon_helpers import mastodon_py
from webapp import crud


def test_a_reply_chain_has_its_context(live_server: str, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    ada_api, bob_api = mastodon_py(live_server, ada.email), mastodon_py(live_server, bob.email)
    root = ada_api.status_post("where shall we meet? #plans")
    reply = bob_api.status_post("@ada the park", in_reply_to_id=root["id"])
    answer = ada_api.status_post("@bob at noon", in_reply_to_id=reply["id"])

    assert reply["in_reply_to_id"] == root["id"]
    assert str(reply["in_reply_to_account_id"]) == str(ada.id)
    assert [m["acct"] for m in reply["mentions"]] == ["ada"]
    assert [t["name"] for t in root["tags"]] == ["plans"]

    middle = bob_api.status_context(reply["id"])
    assert [s["id"] for s in middle["ancestors"]] == [root["id"]]
    assert [s["id"] for s in middle["descendants"]] == [answer["id"]]
    top = bob_api.status_context(root["id"])
    assert [s["id"] for s in top["descendants"]] == [reply["id"], answer["id"]]
    assert bob_api.status(root["id"])["replies_count"] == 1


def test_reblog_and_unreblog(live_server: str, session: Session):
    ada, bob, cara = make_user(session, "ada"), make_user(session, "bob"), make_user(session)
    crud.follow(session, follower_id=cara.id, followee_id=bob.id)
    ada_api, bob_api = mastodon_py(live_server, ada.email), mastodon_py(live_server, bob.email)
    post = ada_api.status_post("boost me")

    boosted = bob_api.status_reblog(post["id"])
    assert boosted["reblog"]["id"] == post["id"] and boosted["account"]["acct"] == "bob"
    assert boosted["reblogged"] is True and boosted["reblog"]["reblogs_count"] == 1
    again = bob_api.status_reblog(post["id"])  # a second boost changes nothing
    assert again["id"] == boosted["id"] and again["reblog"]["reblogs_count"] == 1
    assert [a["acct"] for a in ada_api.status_reblogged_by(post["id"])] == ["bob"]

    cara_api = mastodon_py(live_server, cara.email)
    home = cara_api.timeline_home()
    assert [(s["account"]["acct"], s["reblog"]["id"]) for s in home] == [("bob", post["id"])]

    undone = bob_api.status_unreblog(post["id"])
    assert undone["id"] == post["id"] and undone["reblogged"] is False
    assert undone["reblogs_count"] == 0
    assert cara_api.timeline_home() == []
    bob_api.status_favourite(post["id"])
    assert [a["acct"] for a in ada_api.status_favourited_by(post["id"])] == ["bob"]


def test_visibility_is_kept_and_enforced(live_server: str, session: Session):
    ada, fay, sam = (make_user(session, name) for name in ("ada", "fay", "sam"))
    ada_api = mastodon_py(live_server, ada.email)
    fay_api, sam_api = mastodon_py(live_server, fay.email), mastodon_py(live_server, sam.email)
    fay_api.account_follow(ada.id)
    private = ada_api.status_post("friends only", visibility="private")
    direct = ada_api.status_post("@sam psst", visibility="direct")
    assert private["visibility"] == "private" and direct["visibility"] == "direct"

    assert fay_api.status(private["id"])["content"] == "<p>friends only</p>"
    with pytest.raises(MastodonNotFoundError):
        sam_api.status(private["id"])
    assert sam_api.status(direct["id"])["visibility"] == "direct"
    with pytest.raises(MastodonNotFoundError):
        fay_api.status(direct["id"])
    with pytest.raises(MastodonNotFoundError):  # who may not see it may not boost it
        sam_api.status_reblog(private["id"])
    assert ada_api.timeline_public() == []


def test_account_statuses_exclude_replies_and_reblogs(live_server: str, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    ada_api, bob_api = mastodon_py(live_server, ada.email), mastodon_py(live_server, bob.email)
    question = bob_api.status_post("anyone?")
    own = ada_api.status_post("my post")
    thread = ada_api.status_post("my post, continued", in_reply_to_id=own["id"])
    answer = ada_api.status_post("@bob me", in_reply_to_id=question["id"])
    boost = ada_api.status_reblog(question["id"])

    everything = [s["id"] for s in ada_api.account_statuses(ada.id)]
    assert everything == [boost["id"], answer["id"], thread["id"], own["id"]]
    no_replies = [s["id"] for s in ada_api.account_statuses(ada.id, exclude_replies=True)]
    assert no_replies == [boost["id"], thread["id"], own["id"]]  # a self-thread stays
    no_boosts = [s["id"] for s in ada_api.account_statuses(ada.id, exclude_reblogs=True)]
    assert no_boosts == [answer["id"], thread["id"], own["id"]]
