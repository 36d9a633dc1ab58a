"""What clients read before signing in: NodeInfo, WebFinger, host-meta, OAuth metadata, and
the small start-up calls (rules, peers, activity, emojis, announcements, preferences)."""

from datetime import UTC, datetime
from xml.etree import ElementTree

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import token


def test_nodeinfo_tells_clients_to_use_the_mastodon_api(client: TestClient, session: Session):
    make_tweet(session, make_user(session, "ada"))
    links = client.get("/.well-known/nodeinfo").json()["links"]
    assert links[0]["rel"] == "http://nodeinfo.diaspora.software/ns/schema/2.0"
    info = client.get(links[0]["href"])
    assert info.status_code == 200 and info.headers["content-type"].startswith("application/json")
    body = info.json()
    assert body["software"]["name"] == "chirp"
    assert body["metadata"]["upstream"]["name"] == "mastodon"
    assert body["usage"]["users"]["total"] == 1 and body["usage"]["localPosts"] == 1
    assert body["openRegistrations"] is True


def test_webfinger_finds_a_local_account_by_any_spelling(client: TestClient, session: Session):
    make_user(session, "bob")
    for resource in ("acct:bob@testserver", "bob@testserver", "@bob", "http://testserver/@bob"):
        answer = client.get("/.well-known/webfinger", params={"resource": resource})
        assert answer.status_code == 200, resource
        assert answer.headers["content-type"] == "application/jrd+json"
        body = answer.json()
        assert body["subject"] == "acct:bob@testserver"
        page = body["links"][0]["href"]
        assert page == "http://testserver/@bob" and client.get(page).status_code == 200


def test_webfinger_refuses_unknown_and_remote_accounts(client: TestClient, session: Session):
    make_user(session, "bob")
    for resource in ("acct:nobody@testserver", "acct:bob@elsewhere.example", "acct:"):
        answer = client.get("/.well-known/webfinger", params={"resource": resource})
        assert answer.status_code == 404 and answer.json() == {"error": "Record not found"}
    assert client.get("/.well-known/webfinger").status_code == 422


def test_host_meta_points_at_webfinger(client: TestClient):
    answer = client.get("/.well-known/host-meta")
    assert answer.headers["content-type"].startswith("application/xrd+xml")
    link = ElementTree.fromstring(answer.text)[0]
    assert link.get("template") == "http://testserver/.well-known/webfinger?resource={uri}"


def test_oauth_metadata_names_the_real_endpoints(client: TestClient):
    meta = client.get("/.well-known/oauth-authorization-server").json()
    assert meta["issuer"] == "http://testserver/"
    assert meta["authorization_endpoint"] == "http://testserver/oauth/authorize"
    assert client.get("/oauth/authorize").status_code != 404
    assert set(meta["grant_types_supported"]) == {"authorization_code", "password"}
    assert "read:statuses" in meta["scopes_supported"]


def test_start_up_calls_answer_documented_empty_shapes(client: TestClient, session: Session):
    for path in ("rules", "peers"):
        assert client.get(f"/api/v1/instance/{path}").json() == []
    assert client.get("/api/v1/custom_emojis").json() == []
    assert client.get("/api/v1/announcements").json() == []


def test_activity_counts_this_weeks_posts_and_sign_ups(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    make_tweet(session, ada)
    make_tweet(session, ada)
    weeks = client.get("/api/v1/instance/activity").json()
    assert len(weeks) == 12
    this_week = weeks[0]
    assert int(this_week["week"]) <= datetime.now(UTC).timestamp()
    assert (this_week["statuses"], this_week["registrations"]) == ("2", "1")
    assert all(week["statuses"] == "0" for week in weeks[1:])


def test_preferences_need_a_token(client: TestClient, session: Session):
    assert client.get("/api/v1/preferences").status_code == 401
    prefs = client.get("/api/v1/preferences", headers=token(client, make_user(session)))
    assert prefs.json()["posting:default:visibility"] == "public"
