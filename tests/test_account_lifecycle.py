"""An account's life: forgot password (through a real SMTP server), change password and email,
export, delete. Mails are received by aiosmtpd on a loopback port, links read from them."""

import io
import json
import zipfile
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_tweet, make_user
from tests.smtp import Inbox
from tests.web import log_in, post_form, soup
from webapp import crud
from webapp.crud import export
from webapp.models import AccountToken, AuthToken, Follow, ReservedHandle, Tweet, User, utcnow

NEW_PASSWORD = "a brand new passphrase"


def _ask_reset(client: TestClient, email: str) -> Any:
    return post_form(client, "/password/forgot", {"email": email})


def test_forgot_password_mails_a_link_that_works_once(
    client: TestClient, session: Session, inbox: Inbox
):
    ada = make_user(session, "ada")
    answer = _ask_reset(client, "ADA@example.com")
    assert answer.status_code == 200 and "a link to choose a new password is on its way" in (
        answer.text
    )
    assert len(inbox.messages) == 1 and inbox.messages[0]["To"] == ada.email
    link = inbox.link()
    assert client.get(link).status_code == 200
    done = post_form(client, link, {"new_password": NEW_PASSWORD})
    assert done.status_code == 303  # logged in, sent home
    session.expire_all()
    assert crud.authenticate(session, email=ada.email, password=NEW_PASSWORD) is not None
    again = post_form(client, link, {"new_password": "yet another passphrase"})
    assert again.status_code == 422 and "expired or was already used" in again.text
    assert "expired or was already used" in client.get(link).text


def test_reset_ends_every_session(client: TestClient, session: Session, inbox: Inbox):
    ada = make_user(session, "ada")
    log_in(client, ada)
    _ask_reset(client, ada.email)
    with TestClient(client.app) as other:
        post_form(other, inbox.link(), {"new_password": NEW_PASSWORD})
    assert client.get("/settings", follow_redirects=False).status_code == 303  # logged out


def test_an_expired_reset_link_is_refused(client: TestClient, session: Session, inbox: Inbox):
    ada = make_user(session, "ada")
    _ask_reset(client, ada.email)
    session.execute(update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1)))
    session.commit()
    refused = post_form(client, inbox.link(), {"new_password": NEW_PASSWORD})
    assert refused.status_code == 422 and "expired" in refused.text
    assert crud.authenticate(session, email=ada.email, password=PASSWORD) is not None


def test_unknown_address_gets_the_same_answer_and_no_mail(
    client: TestClient, session: Session, inbox: Inbox
):
    make_user(session, "ada")
    known = _ask_reset(client, "ada@example.com")
    unknown = _ask_reset(client, "nobody@example.com")
    assert known.status_code == unknown.status_code == 200
    assert known.text.replace("ada@", "X@") == unknown.text.replace("nobody@", "X@")
    assert len(inbox.messages) == 1


def test_reset_requests_are_rate_limited_per_address(
    client: TestClient, session: Session, inbox: Inbox
):
    make_user(session, "ada")
    codes = [_ask_reset(client, "ada@example.com").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    assert len(inbox.messages) == 3


def test_mail_is_logged_without_smtp(
    client: TestClient, session: Session, caplog: pytest.LogCaptureFixture
):
    make_user(session, "ada")
    with caplog.at_level("WARNING", logger="webapp.mail"):
        _ask_reset(client, "ada@example.com")
    assert "/password/reset/" in caplog.text


def test_change_password_needs_the_current_one_and_ends_other_sessions(
    client: TestClient, session: Session
):
    ada = make_user(session, "ada")
    log_in(client, ada)
    with TestClient(client.app) as laptop:
        log_in(laptop, ada)
        wrong = post_form(
            client,
            "/settings/account/password",
            {"current_password": "not it at all", "new_password": NEW_PASSWORD},
        )
        assert wrong.status_code == 422
        assert "isn't your current password" in soup(wrong).find(id="current_password-error").text
        changed = post_form(
            client,
            "/settings/account/password",
            {"current_password": PASSWORD, "new_password": NEW_PASSWORD},
        )
        assert changed.headers["location"] == "/settings/account?done=password"
        assert "other sessions were logged out" in client.get(changed.headers["location"]).text
        assert laptop.get("/settings", follow_redirects=False).status_code == 303
    session.expire_all()
    assert crud.authenticate(session, email=ada.email, password=NEW_PASSWORD) is not None


def test_change_email_happens_only_when_the_new_address_confirms(
    client: TestClient, session: Session, inbox: Inbox
):
    ada = make_user(session, "ada")
    log_in(client, ada)
    asked = post_form(
        client,
        "/settings/account/email",
        {"new_email": "ada@new.example", "email_password": PASSWORD},
    )
    assert asked.status_code == 303
    assert inbox.messages[-1]["To"] == "ada@new.example"
    session.refresh(ada)
    assert ada.email == "ada@example.com"  # not yet
    link = inbox.link()
    assert "Use this address" in client.get(link).text
    confirmed = post_form(client, link, {})
    assert "now ada@new.example" in confirmed.text
    session.refresh(ada)
    assert ada.email == "ada@new.example"
    assert crud.authenticate(session, email="ada@new.example", password=PASSWORD) is not None
    assert post_form(client, link, {}).status_code == 400  # once only


def test_change_email_to_a_taken_address_is_refused(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    make_user(session, "bob")
    log_in(client, ada)
    refused = post_form(
        client,
        "/settings/account/email",
        {"new_email": "BOB@example.com", "email_password": PASSWORD},
    )
    assert refused.status_code == 422
    assert "another account" in soup(refused).find(id="new_email-error").text


def test_export_holds_posts_likes_and_follows(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    first = make_tweet(session, ada, "first <post> ✓")
    make_tweet(session, ada, "second")
    crud.like(session, user_id=ada.id, tweet_id=make_tweet(session, bob, "bob's").id)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    log_in(client, ada)
    answer = client.get("/settings/account/export.zip")
    assert answer.status_code == 200 and answer.headers["content-type"] == "application/zip"
    assert 'filename="chirp-ada.zip"' in answer.headers["content-disposition"]
    archive = zipfile.ZipFile(io.BytesIO(answer.content))
    posts = json.loads(archive.read("posts.json"))
    assert [p["text"] for p in posts] == ["first <post> ✓", "second"]
    assert posts[0]["url"] == f"http://testserver/t/{first.id}"
    assert len(json.loads(archive.read("likes.json"))) == 1
    assert [f["username"] for f in json.loads(archive.read("following.json"))] == ["bob"]
    assert [f["username"] for f in json.loads(archive.read("followers.json"))] == ["bob"]
    csv_lines = archive.read("following_accounts.csv").decode().splitlines()
    assert csv_lines == [
        "Account address,Show boosts,Notify on new posts,Languages",
        "bob@testserver,true,false,",
    ]
    assert json.loads(archive.read("account.json"))["email"] == "ada@example.com"


def test_export_needs_a_session(client: TestClient):
    assert client.get("/settings/account/export.zip", follow_redirects=False).status_code == 303


def test_delete_account_removes_everything_and_keeps_the_handle(
    client: TestClient, session: Session
):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    ada_id = ada.id
    bobs = make_tweet(session, bob, "bob's")
    make_tweet(session, ada, "mine")
    crud.like(session, user_id=ada.id, tweet_id=bobs.id)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    log_in(client, ada)
    kept = post_form(client, "/settings/account/delete", {"delete_password": PASSWORD})
    assert kept.status_code == 422 and "can't be undone" in kept.text  # the box not ticked
    wrong = post_form(
        client, "/settings/account/delete", {"delete_password": "nope nope", "confirm": "yes"}
    )
    assert wrong.status_code == 422
    gone = post_form(
        client, "/settings/account/delete", {"delete_password": PASSWORD, "confirm": "yes"}
    )
    assert gone.status_code == 200 and "account is deleted" in gone.text
    session.expire_all()
    assert session.scalar(select(User).where(User.username == "ada")) is None
    assert session.scalars(select(Tweet.text)).all() == ["bob's"]
    assert session.get(Tweet, bobs.id).like_count == 0  # type: ignore[union-attr]
    assert session.scalars(select(Follow)).all() == []
    assert session.scalars(select(AuthToken).where(AuthToken.user_id == ada_id)).all() == []
    assert session.get(ReservedHandle, "ada") is not None
    assert client.get("/settings", follow_redirects=False).status_code == 303
    assert client.get("/@ada").status_code == 404
    again = post_form(
        client,
        "/signup",
        {"email": "new@example.com", "handle": "ada", "password": "a fresh passphrase"},
    )
    assert again.status_code == 422 and "taken" in again.text


def test_account_pages_need_a_session(client: TestClient):
    for path in ("/settings/account",):
        assert client.get(path, follow_redirects=False).status_code == 303
    answer = post_form(client, "/settings/account/delete", {"confirm": "yes"})
    assert answer.status_code == 303 and answer.headers["location"].startswith("/login")


def test_export_reads_large_accounts_in_batches_without_losing_a_post(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(export, "BATCH", 2)  # 5 posts: three batches, the last one short
    ada = make_user(session, "ada")
    texts = [f"post {n}" for n in range(5)]
    for text in texts:
        make_tweet(session, ada, text)
    log_in(client, ada)
    archive = zipfile.ZipFile(io.BytesIO(client.get("/settings/account/export.zip").content))
    assert [p["text"] for p in json.loads(archive.read("posts.json"))] == texts
