"""The real Mastodon.py client, from PyPI, against a live Chirp: what a bot or app would do."""

import re
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from bs4 import BeautifulSoup
from mastodon import Mastodon
from mastodon.errors import MastodonNotFoundError, MastodonUnauthorizedError
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_tweet, make_user
from tests.mastodon_helpers import mastodon_py

REDIRECT = "http://127.0.0.1:9/callback"  # never fetched: the code is read from the redirect


def _app(live_server: str, redirect: str = "urn:ietf:wg:oauth:2.0:oob") -> Mastodon:
    client_id, secret = Mastodon.create_app(
        "Test bot", api_base_url=live_server, redirect_uris=redirect
    )
    return Mastodon(
        client_id=client_id,
        client_secret=secret,
        api_base_url=live_server,
        version_check_mode="none",
    )


def _submit(page: httpx.Response, client: httpx.Client, **fields: str) -> httpx.Response:
    """Post the consent form the way a browser does: every hidden input, plus what we type."""
    # the consent form, not the search box every page has in its top bar
    form = BeautifulSoup(page.text, "html.parser").find("form", action=re.compile("/authorize$"))
    assert form is not None
    hidden = form.find_all("input", type="hidden")
    data = {str(i["name"]): str(i.get("value", "")) for i in hidden}
    action = page.url.join(str(form["action"]))  # a relative action, resolved as a browser does
    return client.post(action, data=data | fields)


def test_password_grant_then_post_read_favourite_delete(live_server: str, session: Session):
    alice = make_user(session, "alice")
    api = mastodon_py(live_server, alice.email)

    me = api.account_verify_credentials()
    assert me["username"] == "alice" and str(me["id"]) == str(alice.id)

    posted = api.status_post("hello from a #mastodon app")
    assert "hello from a" in posted["content"] and 'class="hashtag"' in posted["content"]
    assert [s["id"] for s in api.timeline_home()] == [posted["id"]]
    assert [s["id"] for s in api.timeline_public()] == [posted["id"]]

    assert api.status_favourite(posted["id"])["favourited"] is True
    again = api.status_favourite(posted["id"])  # idempotent, as Mastodon's is
    assert again["favourites_count"] == 1
    undone = api.status_unfavourite(posted["id"])
    assert undone["favourited"] is False and undone["favourites_count"] == 0

    api.status_delete(posted["id"])
    with pytest.raises(MastodonNotFoundError):
        api.status(posted["id"])


def test_authorization_code_grant_through_the_consent_page(live_server: str, session: Session):
    make_user(session, "bob")
    api = _app(live_server, REDIRECT)
    url = api.auth_request_url(redirect_uris=REDIRECT, state="xyz", allow_http=True)
    with httpx.Client() as browser:
        page = browser.get(url)
        assert page.status_code == 200 and "Authorize Test bot" in page.text
        done = _submit(
            page, browser, email="bob@example.com", password=PASSWORD, decision="authorize"
        )
    assert done.status_code == 303
    query = parse_qs(urlsplit(done.headers["location"]).query)
    assert query["state"] == ["xyz"]
    api.log_in(code=query["code"][0], redirect_uri=REDIRECT, allow_http=True)
    assert api.account_verify_credentials()["username"] == "bob"


def test_home_timeline_pages_with_fetch_next_and_previous(live_server: str, session: Session):
    carol, dave = make_user(session, "carol"), make_user(session, "dave")
    ids = [make_tweet(session, dave, f"tweet {n}").id for n in range(5)]
    api = mastodon_py(live_server, carol.email)

    api.account_follow(dave.id)  # carol follows dave: his tweets reach her home
    first = api.timeline_home(limit=2)
    assert [int(s["id"]) for s in first] == [ids[4], ids[3]]
    second = api.fetch_next(first)
    assert second is not None and [int(s["id"]) for s in second] == [ids[2], ids[1]]
    back = api.fetch_previous(second)
    assert back is not None and [int(s["id"]) for s in back] == [ids[4], ids[3]]

    relationship = api.account_unfollow(dave.id)
    assert relationship["following"] is False
    assert api.timeline_home() == []


def test_follow_returns_a_relationship_and_the_account_shows_counts(
    live_server: str, session: Session
):
    erin, frank = make_user(session, "erin"), make_user(session, "frank")
    make_tweet(session, frank)
    api = mastodon_py(live_server, erin.email)
    assert api.account_follow(frank.id)["following"] is True
    shown = api.account(frank.id)
    assert shown["followers_count"] == 1 and shown["statuses_count"] == 1
    assert len(api.account_statuses(frank.id)) == 1


def test_revoked_token_stops_working(live_server: str, session: Session):
    gina = make_user(session, "gina")
    api = mastodon_py(live_server, gina.email)
    token = api.access_token
    # The server's OAuth metadata names http:// endpoints here; Mastodon.py wants allow_http.
    assert api.oauth_authorization_server_info()["revocation_endpoint"].startswith(live_server)
    api.revoke_access_token(allow_http=True)
    stale = Mastodon(access_token=token, api_base_url=live_server, version_check_mode="none")
    with pytest.raises(MastodonUnauthorizedError):
        stale.account_verify_credentials()


def test_instance_reports_a_mastodon_compatible_version(live_server: str):
    api = Mastodon(api_base_url=live_server, version_check_mode="created")
    assert api.instance_v1()["version"].startswith("4.3.0 (compatible; Chirp")
    v2 = api.instance()
    assert v2["configuration"]["statuses"]["max_characters"] == 280
    assert v2["api_versions"] == {"mastodon": 2}
    assert api.retrieve_mastodon_version() == "4.3.0"
