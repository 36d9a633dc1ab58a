"""Editing statuses and polls through the Mastodon API, driven by the real Mastodon.py client
(and plain HTTP for the edge cases Mastodon.py would not send)."""

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from mastodon import MastodonAPIError
from sqlalchemy import update
from sqlalchemy.orm import Session
from websockets.sync.client import connect

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import mastodon_py, token
from webapp import crud
from webapp.crud import edits
from webapp.models import Poll, utcnow


def test_mastodon_py_edits_a_status_and_reads_its_history_and_source(
    live_server: str, session: Session
):
    ada = make_user(session)
    api = mastodon_py(live_server, ada.email)
    posted = api.status_post("first #draft")
    assert posted.edited_at is None
    edited = api.status_update(posted.id, "second #final")
    assert "second" in edited.content and edited.edited_at is not None
    assert [t.name for t in edited.tags] == ["final"]
    history = api.status_history(posted.id)
    assert ["first" in h.content for h in history] == [True, False]
    assert "second" in history[-1].content
    assert api.status_source(posted.id).text == "second #final"
    assert api.status(posted.id).edited_at is not None


def test_edits_of_others_posts_are_403_and_of_hidden_posts_404(
    client: TestClient, session: Session
):
    ada, bob = make_user(session), make_user(session)
    open_post = make_tweet(session, ada, "mine")
    hidden = crud.create_tweet(session, owner_id=ada.id, text="secret", visibility="private")
    headers = token(client, bob)
    refused = client.put(f"/api/v1/statuses/{open_post.id}", data={"status": "x"}, headers=headers)
    assert refused.status_code == 403
    missing = client.put(f"/api/v1/statuses/{hidden.id}", data={"status": "x"}, headers=headers)
    assert missing.status_code == 404
    assert client.get(f"/api/v1/statuses/{hidden.id}/history", headers=headers).status_code == 404
    assert client.get(f"/api/v1/statuses/{open_post.id}/source", headers=headers).status_code == 403
    assert client.get(f"/api/v1/statuses/{open_post.id}", headers=headers).json()["content"] == (
        "<p>mine</p>"
    )


def test_an_edit_refuses_an_empty_or_too_long_text(client: TestClient, session: Session):
    ada = make_user(session)
    post = make_tweet(session, ada, "keep me")
    headers = token(client, ada)
    for text in ("", "x" * 281):
        response = client.put(f"/api/v1/statuses/{post.id}", data={"status": text}, headers=headers)
        assert response.status_code == 422, response.text
        assert "error" in response.json()
    assert client.get(f"/api/v1/statuses/{post.id}/source", headers=headers).json()["text"] == (
        "keep me"
    )


def test_mastodon_py_changes_the_content_warning_and_the_history_shows_each(
    live_server: str, session: Session
):
    ada = make_user(session)
    api = mastodon_py(live_server, ada.email)
    posted = api.status_post("the end", spoiler_text="spoilers")
    kept = api.status_update(posted, "the ending", spoiler_text="spoilers")
    assert (kept.content, kept.spoiler_text, kept.sensitive) == (
        "<p>the ending</p>",
        "spoilers",
        True,
    )
    changed = api.status_update(posted, "the ending", spoiler_text="film spoilers")
    assert (changed.content, changed.spoiler_text) == ("<p>the ending</p>", "film spoilers")
    source = api.status_source(posted)
    assert (source.text, source.spoiler_text) == ("the ending", "film spoilers")
    assert api.status(posted).spoiler_text == "film spoilers"
    history = api.status_history(posted)
    assert [(h.content, h.spoiler_text, h.sensitive) for h in history] == [
        ("<p>the end</p>", "spoilers", True),
        ("<p>the ending</p>", "spoilers", True),
        ("<p>the ending</p>", "film spoilers", True),
    ]


def test_an_edit_takes_the_warning_off_and_the_same_edit_twice_adds_no_version(
    client: TestClient, session: Session
):
    ada = make_user(session)
    headers = token(client, ada)
    posted = client.post(
        "/api/v1/statuses", json={"status": "the end", "spoiler_text": "spoilers"}, headers=headers
    ).json()
    path = f"/api/v1/statuses/{posted['id']}"
    off = {"status": "the end", "spoiler_text": "", "sensitive": "false"}
    for _ in range(2):
        shown = client.put(path, data=off, headers=headers).json()
        assert (shown["spoiler_text"], shown["sensitive"]) == ("", False)
    history = client.get(f"{path}/history", headers=headers).json()
    assert [(h["spoiler_text"], h["sensitive"]) for h in history] == [
        ("spoilers", True),
        ("", False),
    ]
    untouched = client.put(path, json={"status": "the end, really"}, headers=headers).json()
    assert untouched["spoiler_text"] == "" and "really" in untouched["content"]


def test_an_edit_refuses_a_too_long_warning_as_posting_does(client: TestClient, session: Session):
    ada = make_user(session)
    headers = token(client, ada)
    post = make_tweet(session, ada, "plain")
    too_long = {"status": "plain", "spoiler_text": "w" * 281}
    refused = client.put(f"/api/v1/statuses/{post.id}", json=too_long, headers=headers)
    assert refused.status_code == 422
    message = "Validation failed: A content warning can have at most 280 characters"
    assert refused.json() == {"error": message}
    on_posting = client.post("/api/v1/statuses", json=too_long, headers=headers)
    assert on_posting.json() == refused.json()
    source = client.get(f"/api/v1/statuses/{post.id}/source", headers=headers).json()
    assert source["spoiler_text"] == ""
    assert len(client.get(f"/api/v1/statuses/{post.id}/history", headers=headers).json()) == 1


def test_an_edit_marks_the_images_sensitive_or_not(client: TestClient, session: Session):
    ada = make_user(session)
    post = make_tweet(session, ada, "a picture")
    headers = token(client, ada)
    path = f"/api/v1/statuses/{post.id}"
    marked = client.put(path, data={"status": "a picture", "sensitive": "true"}, headers=headers)
    assert marked.json()["sensitive"] is True
    assert client.get(f"{path}/history", headers=headers).json()[0]["sensitive"] is True
    unmarked = client.put(path, json={"status": "a photo", "sensitive": False}, headers=headers)
    assert unmarked.json()["sensitive"] is False


def test_an_edit_finds_the_new_words_in_search_and_tags(client: TestClient, session: Session):
    ada = make_user(session)
    post = make_tweet(session, ada, "about #apples and pears")
    headers = token(client, ada)
    client.put(f"/api/v1/statuses/{post.id}", json={"status": "now #plums only"}, headers=headers)
    found = client.get("/api/v2/search", params={"q": "plums", "type": "statuses"}, headers=headers)
    assert [s["id"] for s in found.json()["statuses"]] == [str(post.id)]
    gone = client.get("/api/v2/search", params={"q": "pears", "type": "statuses"}, headers=headers)
    assert gone.json()["statuses"] == []
    assert client.get("/api/v1/timelines/tag/apples").json() == []
    assert [s["id"] for s in client.get("/api/v1/timelines/tag/plums").json()] == [str(post.id)]


def test_mastodon_py_posts_a_poll_votes_and_reads_results(live_server: str, session: Session):
    ada, bob = make_user(session), make_user(session)
    api_ada, api_bob = mastodon_py(live_server, ada.email), mastodon_py(live_server, bob.email)
    poll = api_ada.make_poll(["tea", "coffee", "water"], expires_in=3600)
    status = api_ada.status_post("What do you drink?", poll=poll)
    assert [o.title for o in status.poll.options] == ["tea", "coffee", "water"]
    assert status.poll.expired is False and status.poll.multiple is False
    voted = api_bob.poll_vote(status.poll.id, [1])
    assert voted.voted is True and voted.own_votes == [1]
    assert [o.votes_count for o in voted.options] == [0, 1, 0]
    assert voted.votes_count == 1 and voted.voters_count == 1
    with pytest.raises(MastodonAPIError):
        api_bob.poll_vote(status.poll.id, [0])  # once only
    again = api_bob.poll(status.poll.id)
    assert [o.votes_count for o in again.options] == [0, 1, 0]
    seen = api_bob.status(status.id).poll
    assert seen.voted is True and seen.own_votes == [1]
    quick = api_ada.status_post("Quick one", poll=api_ada.make_poll(["yes", "no"], expires_in=300))
    session.execute(update(Poll).where(Poll.tweet_id == quick.id).values(expires_at=utcnow()))
    session.commit()
    with pytest.raises(MastodonAPIError, match="ended"):
        api_bob.poll_vote(quick.poll.id, [0])
    assert api_bob.poll(quick.poll.id).expired is True


def test_multiple_choice_and_hidden_totals(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    poll = {"options": ["a", "b", "c"], "expires_in": 600, "multiple": True, "hide_totals": True}
    body = {"status": "pick", "poll": poll}
    status = client.post("/api/v1/statuses", json=body, headers=token(client, ada)).json()
    assert status["poll"]["multiple"] is True
    headers = token(client, bob)
    poll_id = status["poll"]["id"]
    voted = client.post(f"/api/v1/polls/{poll_id}/votes", json={"choices": [0, 2]}, headers=headers)
    assert voted.status_code == 200, voted.text
    assert voted.json()["own_votes"] == [0, 2]
    assert [o["votes_count"] for o in voted.json()["options"]] == [None, None, None]
    assert voted.json()["votes_count"] == 2 and voted.json()["voters_count"] == 1


def test_the_author_of_a_poll_has_voted_so_apps_show_them_the_results(
    client: TestClient, session: Session
):
    """As on Mastodon: apps (Mastodon.py's users, Tusky, Elk) offer vote buttons while
    `voted` is false; the author cannot vote on their own poll and sees the results."""
    ada, bob = make_user(session), make_user(session)
    form = {"status": "pick", "poll[options][]": ["a", "b"], "poll[expires_in]": "600"}
    status = client.post("/api/v1/statuses", data=form, headers=token(client, ada)).json()
    assert (status["poll"]["voted"], status["poll"]["own_votes"]) == (True, [])
    poll_id = status["poll"]["id"]
    for reader, voted in ((ada, True), (bob, False)):
        headers = token(client, reader)
        for path in (f"/api/v1/polls/{poll_id}", f"/api/v1/statuses/{poll_id}"):
            body = client.get(path, headers=headers).json()
            poll = body.get("poll", body)
            assert (poll["voted"], poll["own_votes"]) == (voted, []), (reader.username, path)
        home = client.get("/api/v1/timelines/public", headers=headers).json()
        assert home[0]["poll"]["voted"] is voted


@pytest.mark.parametrize(
    ("form", "says"),
    [
        ({"poll[options][]": ["only one"], "poll[expires_in]": "600"}, "2 to 4 options"),
        ({"poll[options][]": ["a", "b", "c", "d", "e"], "poll[expires_in]": "600"}, "2 to 4"),
        ({"poll[options][]": ["a", "x" * 51], "poll[expires_in]": "600"}, "50 characters"),
        ({"poll[options][]": ["a", "b"], "poll[expires_in]": "60"}, "5 minutes to 7 days"),
        ({"poll[options][]": ["a", "b"], "poll[expires_in]": "700000"}, "5 minutes to 7 days"),
        ({"poll[options][]": ["a", "b"], "poll[expires_in]": "soon"}, "seconds"),
    ],
)
def test_a_bad_poll_is_a_clear_422(
    client: TestClient, session: Session, form: dict[str, object], says: str
):
    ada = make_user(session)
    data = {"status": "a poll", **form}
    response = client.post("/api/v1/statuses", data=data, headers=token(client, ada))
    assert response.status_code == 422, response.text
    assert says in response.json()["error"]
    assert client.get("/api/v1/timelines/public").json() == []


def test_an_expired_poll_refuses_votes(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    form = {"status": "quick", "poll[options][]": ["a", "b"], "poll[expires_in]": "300"}
    status = client.post("/api/v1/statuses", data=form, headers=token(client, ada)).json()
    session.execute(update(Poll).values(expires_at=utcnow() - timedelta(minutes=1)))
    session.commit()
    headers = token(client, bob)
    refused = client.post(
        f"/api/v1/polls/{status['id']}/votes", data={"choices[]": "0"}, headers=headers
    )
    assert refused.status_code == 422
    assert "ended" in refused.json()["error"]
    assert client.get(f"/api/v1/polls/{status['id']}", headers=headers).json()["expired"] is True


def test_a_poll_on_a_post_you_may_not_see_is_404(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    form = {"status": "friends", "visibility": "private", "poll[options][]": ["a", "b"]}
    form["poll[expires_in]"] = "600"
    status = client.post("/api/v1/statuses", data=form, headers=token(client, ada)).json()
    headers = token(client, bob)
    assert client.get(f"/api/v1/polls/{status['id']}", headers=headers).status_code == 404
    vote = client.post(
        f"/api/v1/polls/{status['id']}/votes", data={"choices[]": "0"}, headers=headers
    )
    assert vote.status_code == 404


def test_bad_choices_are_refused(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    form = {"status": "one", "poll[options][]": ["a", "b"], "poll[expires_in]": "600"}
    status = client.post("/api/v1/statuses", data=form, headers=token(client, ada)).json()
    headers = token(client, bob)
    for choices in ([], [5], [0, 1], ["x"]):
        response = client.post(
            f"/api/v1/polls/{status['id']}/votes", json={"choices": choices}, headers=headers
        )
        assert response.status_code == 422, (choices, response.text)
    assert client.get(f"/api/v1/polls/{status['id']}", headers=headers).json()["voted"] is False


def test_the_public_stream_hears_an_edit_as_status_update(live_server: str, session: Session):
    cy = make_user(session)
    with connect(live_server.replace("http://", "ws://") + "/api/v1/streaming?stream=public") as ws:
        tweet = make_tweet(session, cy, "frist")
        assert json.loads(ws.recv(timeout=10))["event"] == "update"
        edits.edit_post(session, tweet_id=tweet.id, user_id=cy.id, text="first")
        message = json.loads(ws.recv(timeout=10))
        assert message["event"] == "status.update"
        payload = json.loads(message["payload"])
        assert payload["id"] == str(tweet.id) and payload["content"] == "<p>first</p>"
        assert payload["edited_at"] is not None
        edits.edit_post(session, tweet_id=tweet.id, user_id=cy.id, text="first", spoiler_text="cw")
        warned = json.loads(json.loads(ws.recv(timeout=10))["payload"])  # a new warning alone
        assert (warned["content"], warned["spoiler_text"]) == ("<p>first</p>", "cw")


def test_the_instance_tells_apps_the_poll_limits(client: TestClient):
    for path in ("/api/v1/instance", "/api/v2/instance"):
        limits = client.get(path).json()["configuration"]["polls"]
        assert limits == {
            "max_options": 4,
            "max_characters_per_option": 50,
            "min_expiration": 300,
            "max_expiration": 604800,
        }
