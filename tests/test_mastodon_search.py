"""The Mastodon discovery endpoints: search, lookup, relationships, suggestions, tags."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import token
from webapp import crud


def test_lookup_and_relationships_are_not_taken_for_an_account_id(
    client: TestClient, session: Session
):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    headers = token(client, ada)
    assert client.get("/api/v1/accounts/lookup", params={"acct": "@Bob"}).json()["id"] == str(
        bob.id
    )
    host = client.get("/api/v1/instance").json()["uri"]
    found = client.get("/api/v1/accounts/lookup", params={"acct": f"bob@{host}"})
    assert found.json()["username"] == "bob"
    elsewhere = client.get("/api/v1/accounts/lookup", params={"acct": "bob@elsewhere.example"})
    assert (elsewhere.status_code, elsewhere.json()) == (404, {"error": "Record not found"})
    response = client.get(
        "/api/v1/accounts/relationships",
        params=[("id[]", str(bob.id)), ("id[]", "999999"), ("id[]", "x")],
        headers=headers,
    )
    assert response.status_code == 200
    [relation] = response.json()
    assert relation["id"] == str(bob.id)
    assert (relation["following"], relation["followed_by"]) == (False, True)


def test_an_account_path_that_is_not_a_number_is_mastodons_404(client: TestClient):
    response = client.get("/api/v1/accounts/nobody")
    assert (response.status_code, response.json()) == (404, {"error": "Record not found"})


def test_unknown_v2_paths_answer_mastodons_404(client: TestClient):
    for method, path in (("GET", "/api/v2/nothing_here"), ("POST", "/api/v2/no_such_thing")):
        response = client.request(method, path)
        assert (response.status_code, response.json()) == (404, {"error": "Record not found"})


def test_v2_search_finds_an_account_by_address_with_resolve(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    make_user(session, "bob")
    make_user(session, "bobby")
    host = client.get("/api/v1/instance").json()["uri"]
    for q in ("@bob", f"bob@{host}", f"@bob@{host}"):
        body = client.get(
            "/api/v2/search", params={"q": q, "resolve": "true", "type": "accounts"}
        ).json()
        assert body["accounts"][0]["acct"] == "bob", q
        assert body["statuses"] == [] and body["hashtags"] == []
    everyone = client.get("/api/v2/search", params={"q": "bo", "type": "accounts"}).json()
    assert [a["acct"] for a in everyone["accounts"]] == ["bob", "bobby"]
    # following=true keeps only the accounts the caller follows
    crud.follow(session, follower_id=ada.id, followee_id=session.get_one(type(ada), ada.id + 2).id)
    mine = client.get(
        "/api/v2/search",
        params={"q": "bo", "type": "accounts", "following": "true"},
        headers=token(client, ada),
    )
    assert [a["acct"] for a in mine.json()["accounts"]] == ["bobby"]


def test_v2_search_finds_statuses_and_hashtags(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    post = make_tweet(session, ada, "Fresh #coffee in the morning")
    make_tweet(session, bob, "coffee for bob")
    make_tweet(session, ada, "#coffeetime")
    body = client.get("/api/v2/search", params={"q": "coffee morning"}).json()
    assert [s["id"] for s in body["statuses"]] == [str(post.id)]
    assert body["statuses"][0]["account"]["acct"] == "ada"
    tags = client.get("/api/v2/search", params={"q": "#coffee", "type": "hashtags"}).json()
    assert [t["name"] for t in tags["hashtags"]] == ["coffee", "coffeetime"]
    by_bob = client.get("/api/v2/search", params={"q": "coffee", "account_id": bob.id}).json()
    assert [s["account"]["acct"] for s in by_bob["statuses"]] == ["bob"]
    paged = client.get("/api/v2/search", params={"q": "coffee", "limit": 1, "offset": 1}).json()
    assert len(paged["statuses"]) == 1 and paged["statuses"][0]["account"]["acct"] in {"ada", "bob"}


def test_v2_search_refuses_bad_parameters_in_mastodons_shape(client: TestClient):
    for params in ({}, {"q": "x", "type": "people"}, {"q": "x" * 501}, {"q": "x", "offset": -1}):
        response = client.get("/api/v2/search", params=params)
        assert response.status_code == 422, params
        assert response.json()["error"].startswith("Validation failed")
    for q in ("a\x00", "#a\x00", "@a\x00@b"):  # finds nothing; never a database error
        body = client.get("/api/v2/search", params={"q": q}).json()
        assert body == {"accounts": [], "statuses": [], "hashtags": []}
    lookup = client.get("/api/v1/accounts/lookup", params={"acct": "a\x00"})
    assert lookup.status_code == 404


def test_suggestions_put_friends_of_friends_before_popular(client: TestClient, session: Session):
    names = ("ada", "bob", "cat", "dan", "eve", "fay", "gus")
    ada, bob, cat, dan, eve, fay, gus = (make_user(session, n) for n in names)
    follows = [(ada, bob), (ada, cat), (bob, dan), (cat, dan), (bob, eve)]
    follows += [(dan, gus), (eve, gus), (fay, gus)]  # gus is popular, but no friend follows him
    for follower, followee in follows:
        crud.follow(session, follower_id=follower.id, followee_id=followee.id)
    body = client.get("/api/v2/suggestions", headers=token(client, ada)).json()
    assert [(s["account"]["acct"], s["sources"]) for s in body] == [
        ("dan", ["friends_of_friends"]),  # followed by two of ada's friends
        ("eve", ["friends_of_friends"]),
        ("gus", ["most_followed"]),
    ]
    assert client.get("/api/v2/suggestions").status_code == 401


def test_follow_a_tag_list_it_and_read_its_timeline(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    headers = token(client, ada)
    first = make_tweet(session, ada, "#Rust is fun")
    make_tweet(session, ada, "#rustacean")
    second = make_tweet(session, ada, "more #rust")
    followed = client.post("/api/v1/tags/Rust/follow", headers=headers).json()
    assert (followed["name"], followed["following"]) == ("rust", True)
    today = followed["history"][0]
    assert (today["uses"], today["accounts"]) == ("2", "1") and len(followed["history"]) == 7
    assert [t["name"] for t in client.get("/api/v1/followed_tags", headers=headers).json()] == [
        "rust"
    ]
    timeline = client.get("/api/v1/timelines/tag/rust", params={"limit": 1}).json()
    assert [s["id"] for s in timeline] == [str(second.id)]
    older = client.get("/api/v1/timelines/tag/rust", params={"max_id": second.id}).json()
    assert [s["id"] for s in older] == [str(first.id)]
    client.post("/api/v1/tags/rust/unfollow", headers=headers)
    assert client.get("/api/v1/tags/rust", headers=headers).json()["following"] is False
    assert client.get("/api/v1/tags/nosuchtag").status_code == 404
    client.post("/api/v1/tags/NewTag/follow", headers=headers)  # unused yet: created
    assert client.get("/api/v1/tags/newtag", headers=headers).json()["following"] is True
    assert client.post("/api/v1/tags/rust/follow").status_code == 401


def test_trends_rank_tags_by_people(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    for _ in range(3):
        make_tweet(session, ada, "#solo")
    make_tweet(session, ada, "#shared")
    make_tweet(session, bob, "#shared")
    body = client.get("/api/v1/trends/tags").json()
    assert [(t["name"], t["history"][0]["accounts"]) for t in body] == [
        ("shared", "2"),
        ("solo", "1"),
    ]
