"""Back after Log out shows nothing private: signed-in pages are never kept by the browser."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.web import HTMX, log_in, post_form


@pytest.mark.parametrize(
    "path", ["/", "/settings", "/people", "/@ada", "/?feed=everyone", "/tags/hello"]
)
def test_every_page_a_signed_in_person_sees_is_no_store(
    client: TestClient, session: Session, path: str
):
    ada = make_user(session, "ada")
    make_tweet(session, ada)
    log_in(client, ada)
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert client.get(path, headers=HTMX).headers["cache-control"] == "no-store"


def test_a_tweet_page_and_a_404_for_a_signed_in_person_are_no_store(
    client: TestClient, session: Session
):
    ada = make_user(session, "ada")
    tweet = make_tweet(session, ada)
    log_in(client, ada)
    assert client.get(f"/t/{tweet.id}").headers["cache-control"] == "no-store"
    assert client.get("/no-such-page").headers["cache-control"] == "no-store"


def test_login_signup_and_logout_responses_are_no_store(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    for path in ("/login", "/signup", "/settings"):
        assert client.get(path, follow_redirects=False).headers["cache-control"] == "no-store"
    login = post_form(client, "/login", {"email": ada.email, "password": "correct horse battery"})
    assert login.status_code == 303
    assert login.headers["cache-control"] == "no-store"
    logout = post_form(client, "/logout")
    assert logout.headers["cache-control"] == "no-store"


def test_public_pages_and_static_files_stay_cacheable_for_visitors(
    client: TestClient, session: Session
):
    make_user(session, "ada")
    assert "cache-control" not in client.get("/@ada").headers
    log_in(client, make_user(session))
    assert client.get("/static/app.css").headers.get("cache-control") != "no-store"
