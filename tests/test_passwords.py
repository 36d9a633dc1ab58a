"""Passwords: the sign-up policy, hash upgrades on login, logins that leak nothing."""

import pytest
from fastapi.testclient import TestClient
from pwdlib import PasswordHash
from pwdlib.hashers.argon2 import Argon2Hasher
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_user
from webapp import crud, security
from webapp.crud import auth


def sign_up(client: TestClient, password: str, email: str = "al@example.com") -> dict[str, object]:
    response = client.post("/users/", json={"email": email, "password": password})
    return {"status": response.status_code, "body": response.json()}


@pytest.mark.parametrize("password", ["password1", "PassWord123", "Qwertyuiop", " iloveyou "])
def test_common_passwords_are_refused_in_any_letter_case(client: TestClient, password: str):
    result = sign_up(client, password)
    assert result["status"] == 422
    assert result["body"] == {
        "detail": "This password is too common; choose one that is harder to guess"
    }


def test_crud_refuses_a_weak_password_for_every_caller(session: Session):
    with pytest.raises(crud.WeakPassword, match="too common"):
        crud.create_user(session, email="bo@example.com", password="letmein123")
    with pytest.raises(crud.WeakPassword, match="at least 8"):
        crud.create_user(session, email="bo@example.com", password="x7#kq")


def test_a_long_passphrase_is_kept_whole_not_truncated(client: TestClient):
    long_password = "unusual passphrase " * 6 + "tail-A"  # 120 characters, over bcrypt's 72
    assert sign_up(client, long_password)["status"] == 200
    login = {"username": "al@example.com", "password": long_password}
    assert client.post("/token", data=login).status_code == 200
    truncated = {"username": "al@example.com", "password": long_password[:-1] + "B"}
    assert client.post("/token", data=truncated).status_code == 401


def test_an_absurdly_long_password_gets_a_plain_422(client: TestClient):
    result = sign_up(client, "x9" * 513)
    assert result["status"] == 422
    assert "at most 1024 characters" in str(result["body"])


def test_a_hash_made_with_weaker_parameters_is_upgraded_on_login(
    session: Session, client: TestClient
):
    user = make_user(session)
    weak = PasswordHash((Argon2Hasher(memory_cost=8192, time_cost=1, parallelism=1),))
    user.hashed_password = weak.hash(PASSWORD)
    session.commit()
    assert "m=8192,t=1" in user.hashed_password

    response = client.post("/token", data={"username": user.email, "password": PASSWORD})
    assert response.status_code == 200
    session.refresh(user)
    assert user.hashed_password.startswith("$argon2id$v=19$m=19456,t=2,p=1$")
    assert client.post("/token", data={"username": user.email, "password": PASSWORD}).is_success


def test_unknown_email_and_wrong_password_answer_alike_and_hash_alike(
    session: Session, client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    user = make_user(session)
    verified: list[str] = []
    real_verify = security.verify_password

    def counting_verify(password: str, hashed: str) -> tuple[bool, str | None]:
        verified.append(hashed.split("$")[3])  # the argon2 cost parameters used
        return real_verify(password, hashed)

    monkeypatch.setattr(auth, "verify_password", counting_verify)
    answers = []
    for email in (user.email, "nobody@example.com"):
        response = client.post("/token", data={"username": email, "password": "wrong guess 1"})
        answers.append(
            (response.status_code, response.json(), response.headers["www-authenticate"])
        )
    assert answers[0] == answers[1] == (401, {"detail": "Incorrect email or password"}, "Bearer")
    # The same work either way: one argon2 verify with the same costs, so timing tells nothing.
    assert verified == ["m=19456,t=2,p=1", "m=19456,t=2,p=1"]
