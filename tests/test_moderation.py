"""Reports, the admin pages, suspension, approval of sign-ups, and the audit log."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.conftest import TEST_DATABASE_URL
from tests.factories import PASSWORD, bearer, make_tweet, make_user
from tests.mastodon_helpers import token
from tests.web import log_in, post_form, soup
from webapp import crud
from webapp.cli import main
from webapp.config import settings
from webapp.crud import moderation
from webapp.models import ModerationAction, Report, Tweet, User


def _admin(session: Session, name: str = "root") -> User:
    admin = make_user(session, name)
    admin.is_admin = True
    session.commit()
    return admin


def _queue(client: TestClient) -> list[str]:
    return [
        row.get_text(" ", strip=True) for row in soup(client.get("/admin")).select(".admin-row")
    ]


def test_report_a_post_reaches_the_admins_queue(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    post = make_tweet(session, bob, "buy cheap followers")
    log_in(client, ada)
    assert "Report this post" in client.get(f"/t/{post.id}").text
    page = client.get(f"/t/{post.id}/report")
    assert "Report a post by @bob" in page.text
    missing = post_form(client, f"/t/{post.id}/report", {"comment": "spam"})
    assert missing.status_code == 422 and "Choose what is wrong" in missing.text
    assert "spam" in missing.text  # the comment typed is kept
    sent = post_form(client, f"/t/{post.id}/report", {"category": "spam", "comment": "a bot"})
    assert sent.status_code == 200 and "your report is with the admins" in sent.text
    with TestClient(client.app) as root:
        log_in(root, _admin(session))
        queue = _queue(root)
        assert len(queue) == 1 and "@ada reported @bob for spam" in queue[0]
        assert "buy cheap followers" in queue[0] and "a bot" in queue[0]


def test_admin_pages_are_not_found_for_everyone_else(client: TestClient, session: Session):
    assert client.get("/admin").status_code == 404
    log_in(client, make_user(session, "ada"))
    assert client.get("/admin").status_code == 404
    assert client.get("/admin/log").status_code == 404
    assert post_form(client, "/admin/suspend", {"handle": "ada"}).status_code == 404
    assert "/admin" not in str(soup(client.get("/")).find("nav"))


def test_suspension_ends_sessions_and_tokens_and_hides_the_profile(
    client: TestClient, session: Session
):
    bob = make_user(session, "bob")
    make_tweet(session, bob, "hello")
    log_in(client, bob)
    api = bearer(client, bob)
    mastodon = token(client, bob)
    with TestClient(client.app) as root:
        log_in(root, _admin(session))
        done = post_form(root, "/admin/suspend", {"handle": "@bob", "reason": "spam wave"})
        assert done.status_code == 303
        log = root.get("/admin/log").text
        assert "suspend" in log and "@bob" in log and "spam wave" in log
    assert client.get("/settings", follow_redirects=False).status_code == 303  # logged out
    assert client.post("/users/1/tweets/", json={"text": "x"}, headers=api).status_code == 401
    assert client.get("/api/v1/accounts/verify_credentials", headers=mastodon).status_code == 401
    refused = post_form(client, "/login", {"email": bob.email, "password": PASSWORD})
    assert refused.status_code == 422 and "This account is suspended." in refused.text
    assert client.post("/token", data={"username": bob.email, "password": PASSWORD}).json() == {
        "detail": "This account is suspended."
    }
    assert client.get("/@bob").status_code == 404
    assert "@bob" not in client.get("/people").text


def test_unsuspend_lets_the_person_back_in(client: TestClient, session: Session):
    bob = make_user(session, "bob")
    admin = _admin(session)
    moderation.suspend(session, admin=admin, user_id=bob.id)
    with TestClient(client.app) as root:
        log_in(root, admin)
        assert post_form(root, f"/admin/accounts/{bob.id}/unsuspend").status_code == 303
    log_in(client, bob)
    assert client.get("/@bob").status_code == 200


def test_admin_deletes_a_post_and_resolves_the_report(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    post_id = make_tweet(session, bob, "something awful").id
    log_in(client, ada)
    post_form(client, f"/t/{post_id}/report", {"category": "violation"})
    report_id = session.scalars(select(Report.id)).one()
    with TestClient(client.app) as root:
        log_in(root, _admin(session))
        assert post_form(root, f"/admin/tweets/{post_id}/delete").status_code == 303
        assert post_form(root, f"/admin/reports/{report_id}/resolve").status_code == 303
        assert _queue(root) == []  # no report, nobody pending or suspended
    session.expire_all()
    assert session.get(Tweet, post_id) is None
    actions = session.scalars(select(ModerationAction.action).order_by(ModerationAction.id))
    assert list(actions) == ["delete_post", "resolve_report"]


def test_approval_mode_holds_new_accounts_until_an_admin_says_yes(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "registrations", "approval")
    assert client.get("/api/v1/instance").json()["approval_required"] is True
    signed = post_form(
        client, "/signup", {"email": "new@example.com", "handle": "newbie", "password": PASSWORD}
    )
    assert signed.status_code == 200 and "an admin approves each new account" in signed.text
    waiting = post_form(client, "/login", {"email": "new@example.com", "password": PASSWORD})
    assert waiting.status_code == 422 and "waiting for an admin to approve it" in waiting.text
    newbie = session.scalars(select(User).where(User.username == "newbie")).one()
    with TestClient(client.app) as root:
        log_in(root, _admin(session))
        assert "@newbie" in " ".join(_queue(root))
        post_form(root, f"/admin/accounts/{newbie.id}/approve")
    assert (
        post_form(client, "/login", {"email": "new@example.com", "password": PASSWORD}).status_code
        == 303
    )


def test_reject_removes_the_waiting_account(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "registrations", "approval")
    newbie = crud.register(session, email="n@example.com", password=PASSWORD, username="newbie")
    admin = _admin(session)
    with TestClient(client.app) as root:
        log_in(root, admin)
        post_form(root, f"/admin/accounts/{newbie.id}/reject")
    session.expire_all()
    assert session.scalars(select(User.username)).all() == ["root"]


def test_closed_registrations_refuse_every_sign_up_path(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "registrations", "closed")
    assert client.get("/signup").status_code == 403
    page = post_form(
        client, "/signup", {"email": "a@example.com", "handle": "a", "password": PASSWORD}
    )
    assert page.status_code == 403 and "Sign-ups are closed" in page.text
    api = client.post("/users/", json={"email": "a@example.com", "password": PASSWORD})
    assert api.status_code == 403 and api.json() == {
        "detail": "Sign-ups are closed on this server."
    }
    assert client.get("/api/v1/instance").json()["registrations"] is False
    assert client.get("/api/v2/instance").json()["registrations"]["enabled"] is False


def test_open_registrations_are_announced(client: TestClient):
    assert client.get("/api/v1/instance").json()["registrations"] is True
    assert client.get("/api/v2/instance").json()["registrations"]["enabled"] is True


def test_grant_admin_command(session: Session, capsys: pytest.CaptureFixture[str]):
    make_user(session, "ada")
    assert main(["grant-admin", "@ada", "--database-url", TEST_DATABASE_URL]) == 0
    assert "@ada is now an admin" in capsys.readouterr().out
    session.expire_all()
    assert session.scalars(select(User.is_admin)).one() is True
    assert main(["grant-admin", "nobody", "--database-url", TEST_DATABASE_URL]) == 2


def test_mastodon_report_with_statuses(client: TestClient, session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    first, second = make_tweet(session, bob, "one"), make_tweet(session, bob, "two")
    headers = token(client, ada)
    answer = client.post(
        "/api/v1/reports",
        json={
            "account_id": str(bob.id),
            "status_ids": [str(first.id), str(second.id)],
            "comment": "spam run",
            "category": "spam",
        },
        headers=headers,
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["target_account"]["acct"] == "bob" and body["category"] == "spam"
    assert body["status_ids"] == [str(first.id), str(second.id)]
    rows = session.scalars(select(Report).order_by(Report.id)).all()
    assert [r.tweet_id for r in rows] == [first.id, second.id]
    not_his = client.post(
        "/api/v1/reports",
        data={"account_id": str(ada.id), "status_ids[]": str(first.id)},
        headers=headers,
    )
    assert not_his.status_code == 422
    assert client.post("/api/v1/reports", data={}, headers=headers).status_code == 422
    assert client.post("/api/v1/reports", data={"account_id": "1"}).status_code == 401


def test_suspended_and_waiting_accounts_are_not_found_by_search(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    bob = make_user(session, "bobby")
    make_user(session, "bobcat")
    moderation.suspend(session, admin=_admin(session), user_id=bob.id)
    monkeypatch.setattr(settings, "registrations", "approval")
    crud.register(session, email="b@example.com", password=PASSWORD, username="bobwait")
    found = soup(client.get("/search", params={"q": "bob", "tab": "people"}))
    text = found.get_text(" ")
    assert "@bobcat" in text and "@bobby" not in text and "@bobwait" not in text
