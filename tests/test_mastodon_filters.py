"""Filters through the Mastodon API (issue 17): v2 filters with their keywords and statuses,
the v1 filters (one per keyword, as megalodon writes them), `filtered` on statuses in the
filter's contexts, and `hide` filters leaving statuses out of timelines, threads and
notifications. Mastodon.py drives the endpoints it has; the rest goes through HTTP."""

from urllib.parse import urlencode

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import mastodon_py, token
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.models import User


def _people(session: Session) -> tuple[User, User]:
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    return ada, bob


def test_mastodon_py_creates_lists_updates_and_deletes_filters(live_server: str, session: Session):
    ada, bob = _people(session)
    api = mastodon_py(live_server, ada.email)
    made = api.create_filter_v2(
        "Spoilers",
        ["home", "public"],
        "warn",
        expires_in=3600,
        keywords_attributes=[{"keyword": "severance", "whole_word": True}],
    )
    assert made.title == "Spoilers" and made.context == ["home", "public"]
    assert made.filter_action == "warn" and made.expires_at is not None
    assert [(k.keyword, k.whole_word) for k in made.keywords] == [("severance", True)]
    assert [f.id for f in api.filters_v2()] == [made.id]
    assert api.filter_v2(made.id).title == "Spoilers"

    keyword = api.add_filter_keyword_v2(made.id, "lumon", whole_word=False)
    assert keyword.keyword == "lumon" and keyword.whole_word is False
    assert {k.keyword for k in api.filter_keywords_v2(made.id)} == {"severance", "lumon"}

    first = made.keywords[0].id
    updated = api.update_filter_v2(
        made.id,
        title="TV",
        filter_action="hide",
        keywords_attributes=[{"id": first, "_destroy": True}, {"keyword": "innie"}],
    )
    assert updated.title == "TV" and updated.filter_action == "hide"
    assert {k.keyword for k in updated.keywords} == {"lumon", "innie"}

    post = make_tweet(session, bob, "Lumon Industries")
    status_filter = api.add_filter_status_v2(made.id, post.id)
    assert str(status_filter.status_id) == str(post.id)
    assert [s.id for s in api.filter_statuses_v2(made.id)] == [status_filter.id]
    assert str(api.filter_status_v2(status_filter.id).status_id) == str(post.id)
    api.delete_filter_status_v2(status_filter.id)
    api.delete_filter_keyword_v2(keyword.id)
    assert {k.keyword for k in api.filter_keywords_v2(made.id)} == {"innie"}

    v1 = api.filters()  # older clients: one entry per keyword
    assert [(f.phrase, f.irreversible) for f in v1] == [("innie", True)]
    api.delete_filter_v2(made.id)
    assert api.filters_v2() == []


def test_mastodon_py_sees_filtered_on_a_home_status(live_server: str, session: Session):
    ada, bob = _people(session)
    api = mastodon_py(live_server, ada.email)
    api.create_filter_v2(
        "Spoilers", ["home"], "warn", keywords_attributes=[{"keyword": "Severance"}]
    )
    make_tweet(session, bob, "the severance finale")
    make_tweet(session, bob, "lunch")
    home = api.timeline_home()
    by_text = {s.content: s.filtered for s in home}
    (result,) = by_text["<p>the severance finale</p>"]
    assert result.filter.title == "Spoilers" and result.keyword_matches == ["severance"]
    assert by_text["<p>lunch</p>"] == []


def test_hide_leaves_statuses_out_in_their_contexts_only(client: TestClient, session: Session):
    ada, bob = _people(session)
    headers = token(client, ada)
    body = {
        "title": "Hidden",
        "context": ["home", "thread", "notifications"],
        "filter_action": "hide",
        "keywords_attributes": [{"keyword": "severance"}],
    }
    assert client.post("/api/v2/filters", json=body, headers=headers).status_code == 200
    top = make_tweet(session, bob, "hello @ada")
    crud.create_tweet(session, owner_id=bob.id, text="@ada severance", in_reply_to_id=top.id)
    crud.create_tweet(session, owner_id=bob.id, text="@ada fine", in_reply_to_id=top.id)

    def texts(path: str) -> list[str]:
        response = client.get(path, headers=headers)
        assert response.status_code == 200, response.text
        return [s["content"] for s in response.json()]

    assert "severance" not in " ".join(texts("/api/v1/timelines/home"))
    public = client.get("/api/v1/timelines/public", headers=headers).json()
    (shown,) = [s for s in public if "severance" in s["content"]]
    assert shown["filtered"] == []  # not a public filter
    context = client.get(f"/api/v1/statuses/{top.id}/context", headers=headers).json()
    below = [s["content"] for s in context["descendants"]]
    assert len(below) == 1 and "fine" in below[0]
    notes = client.get("/api/v1/notifications", headers=headers).json()
    assert notes and all("severance" not in (n["status"] or {}).get("content", "") for n in notes)


def test_form_encoded_keywords_attributes_and_status_filters(client: TestClient, session: Session):
    ada, bob = _people(session)
    headers = token(client, ada)
    # As Rails reads a form: a repeated name in `[]` starts the next keyword.
    form = [
        ("title", "Two"),
        ("context[]", "public"),
        ("keywords_attributes[][keyword]", "one"),
        ("keywords_attributes[][whole_word]", "false"),
        ("keywords_attributes[][keyword]", "two"),
        ("keywords_attributes[][whole_word]", "true"),
    ]
    kind = {"content-type": "application/x-www-form-urlencoded"}
    made = client.post("/api/v2/filters", content=urlencode(form), headers=headers | kind)
    assert made.status_code == 200, made.text
    entity = made.json()
    assert [(k["keyword"], k["whole_word"]) for k in entity["keywords"]] == [
        ("one", False),
        ("two", True),
    ]
    indexed = [
        ("keywords_attributes[0][id]", entity["keywords"][0]["id"]),
        ("keywords_attributes[0][_destroy]", "1"),
        ("keywords_attributes[1][keyword]", "three"),
    ]
    changed = client.put(
        f"/api/v2/filters/{entity['id']}", content=urlencode(indexed), headers=headers | kind
    )
    assert [k["keyword"] for k in changed.json()["keywords"]] == ["two", "three"]
    assert changed.json()["title"] == "Two"  # what was not sent stays
    post = make_tweet(session, bob, "nothing to see")
    added = client.post(
        f"/api/v2/filters/{entity['id']}/statuses", data={"status_id": post.id}, headers=headers
    )
    assert added.status_code == 200
    one = client.get(f"/api/v1/statuses/{post.id}", headers=headers).json()
    (result,) = one["filtered"]  # a single status: every context, as Mastodon
    assert result["status_matches"] == [str(post.id)] and result["keyword_matches"] is None
    assert result["filter"]["title"] == "Two" and "keywords" not in result["filter"]


def test_bad_filters_are_refused_in_plain_words(client: TestClient, session: Session):
    ada, bob = _people(session)
    headers = token(client, ada)
    cases = [
        ({"context": ["home"]}, "title can't be blank"),
        ({"title": "x"}, "at least one place"),
        ({"title": "x", "context": ["everywhere"]}, "not to everywhere"),
        ({"title": "x", "context": ["home"], "filter_action": "blur"}, "warns (warn) or hides"),
        ({"title": "x", "context": ["home"], "expires_in": "soon"}, "number of seconds"),
        ({"title": "x", "context": ["home"], "expires_in": 10**30}, "expires after"),
        ({"title": "x", "context": ["home"], "keywords_attributes": "no"}, "must be a list"),
        ({"title": "x", "context": ["home"], "keywords_attributes": [{"keyword": ""}]}, "keyword"),
    ]
    for body, message in cases:
        refused = client.post("/api/v2/filters", json=body, headers=headers)
        assert refused.status_code == 422, body
        assert message in refused.json()["error"], (body, refused.json())
    bobs = token(client, bob)
    made = client.post(
        "/api/v2/filters", json={"title": "mine", "context": ["home"]}, headers=bobs
    ).json()
    assert client.get(f"/api/v2/filters/{made['id']}", headers=headers).status_code == 404
    assert client.delete(f"/api/v2/filters/{made['id']}", headers=headers).status_code == 404
    read_only = token(client, ada, scope="read")
    assert client.post("/api/v2/filters", json={}, headers=read_only).status_code == 403


@pytest.mark.parametrize("has_filter", [False, True])
def test_home_timeline_statement_count_does_not_grow_with_the_page(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch, has_filter: bool
):
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada, bob = _people(session)
    headers = token(client, ada)
    if has_filter:
        body = {"title": "t", "context": ["home"], "keywords_attributes": [{"keyword": "odd"}]}
        client.post("/api/v2/filters", json=body, headers=headers)
    counts = []
    for n in (2, 30):
        for i in range(n):
            make_tweet(session, bob, f"post {i} {'odd' if i % 2 else 'even'}")
        response = client.get("/api/v1/timelines/home", headers=headers)
        counts.append(int(response.headers[sqlcount.HEADER]))
    assert counts[0] == counts[1]


def test_an_edit_changes_only_what_it_sends(client: TestClient, session: Session):
    headers = token(client, make_user(session, "ada"))
    body = {
        "title": "t",
        "context": ["home"],
        "expires_in": 3600,
        "keywords_attributes": [{"keyword": "one", "whole_word": False}],
    }
    made = client.post("/api/v2/filters", json=body, headers=headers).json()
    keyword_id = made["keywords"][0]["id"]
    edit = {"keywords_attributes": [{"id": keyword_id, "keyword": "uno"}]}
    changed = client.put(f"/api/v2/filters/{made['id']}", json=edit, headers=headers).json()
    assert changed["keywords"] == [{"id": keyword_id, "keyword": "uno", "whole_word": False}]
    assert changed["expires_at"] == made["expires_at"] and changed["context"] == ["home"]
    never = client.put(f"/api/v2/filters/{made['id']}", json={"expires_in": ""}, headers=headers)
    assert never.json()["expires_at"] is None
    one = client.get(f"/api/v2/filters/keywords/{keyword_id}", headers=headers).json()
    assert one["keyword"] == "uno"
    put = client.put(
        f"/api/v2/filters/keywords/{keyword_id}", data={"whole_word": "true"}, headers=headers
    )
    assert put.json()["whole_word"] is True
    v1 = client.get(f"/api/v1/filters/{keyword_id}", headers=headers).json()
    assert v1["phrase"] == "uno" and v1["irreversible"] is False and v1["context"] == ["home"]


def test_v1_filters_are_written_as_one_keyword_filters(client: TestClient, session: Session):
    """megalodon (Whalebird and other desktop apps) creates, edits and deletes filters only
    through /api/v1/filters, which answered 404."""
    ada, bob = _people(session)
    make_tweet(session, bob, "spoilers for severance")
    headers = token(client, ada)
    body = {"phrase": "severance", "context": ["home", "public"], "whole_word": True}
    made = client.post("/api/v1/filters", json=body, headers=headers)
    assert made.status_code == 200, made.text
    entity = made.json()
    assert (entity["phrase"], entity["context"], entity["irreversible"]) == (
        "severance",
        ["home", "public"],
        False,
    )
    [v2] = client.get("/api/v2/filters", headers=headers).json()
    assert (v2["title"], v2["filter_action"], [k["id"] for k in v2["keywords"]]) == (
        "severance",
        "warn",
        [entity["id"]],
    )
    [home] = client.get("/api/v1/timelines/home", headers=headers).json()
    assert home["filtered"][0]["keyword_matches"] == ["severance"]
    # A form, as older apps send it: irreversible hides the post from home.
    url = f"/api/v1/filters/{entity['id']}"
    form = {"phrase": "spoilers", "context[]": ["home"], "irreversible": "true"}
    edited = client.put(url, data=form, headers=headers).json()
    assert (edited["id"], edited["phrase"], edited["context"], edited["irreversible"]) == (
        entity["id"],
        "spoilers",
        ["home"],
        True,
    )
    assert client.get("/api/v1/timelines/home", headers=headers).json() == []
    assert client.delete(url, headers=headers).json() == {}
    assert client.get("/api/v1/filters", headers=headers).json() == []
    assert client.get("/api/v2/filters", headers=headers).json() == []  # no blank filter left
    assert len(client.get("/api/v1/timelines/home", headers=headers).json()) == 1
    assert client.get(url, headers=headers).status_code == 404


def test_a_v1_edit_of_a_shared_filter_setting_is_refused(client: TestClient, session: Session):
    """A v2 filter's context and action belong to all its keywords: a v1 app, which sees one
    keyword, may change that keyword but not them (as on Mastodon)."""
    headers = token(client, make_user(session, "ada"))
    body = {
        "title": "tv",
        "context": ["home"],
        "keywords_attributes": [{"keyword": "one"}, {"keyword": "two"}],
    }
    made = client.post("/api/v2/filters", json=body, headers=headers).json()
    url = f"/api/v1/filters/{made['keywords'][0]['id']}"
    refused = client.put(url, json={"phrase": "uno", "context": ["public"]}, headers=headers)
    assert refused.status_code == 422 and "more than one keyword" in refused.json()["error"]
    renamed = client.put(url, json={"phrase": "uno", "context": ["home"]}, headers=headers)
    assert renamed.json()["phrase"] == "uno"
    client.delete(url, headers=headers)
    [left] = client.get("/api/v2/filters", headers=headers).json()
    assert [k["keyword"] for k in left["keywords"]] == ["two"] and left["context"] == ["home"]
    blank = client.post("/api/v1/filters", json={"context": ["home"]}, headers=headers)
    assert blank.status_code == 422 and "phrase" in blank.json()["error"]
