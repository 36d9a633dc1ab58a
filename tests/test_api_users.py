"""The contract's /users/ endpoints and POST /token."""

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_user


def test_sign_up_returns_the_user_in_contract_shape(client: TestClient):
    response = client.post("/users/", json={"email": "Ada.L@Example.com", "password": PASSWORD})
    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["email", "id"]
    # The mailbox part is kept as typed; the domain, case-insensitive by nature, is lowered.
    assert body["email"] == "Ada.L@example.com"


def test_sign_up_refuses_an_email_taken_in_another_letter_case(client: TestClient):
    client.post("/users/", json={"email": "ada@example.com", "password": PASSWORD})
    response = client.post("/users/", json={"email": "ADA@example.COM", "password": PASSWORD})
    assert response.status_code == 400
    assert response.json() == {"detail": "Email already registered"}
    assert len(client.get("/users/").json()) == 1


def test_sign_up_refuses_an_invalid_email_and_a_short_password(client: TestClient):
    assert (
        client.post("/users/", json={"email": "not-an-email", "password": PASSWORD}).status_code
        == 422
    )
    assert (
        client.post("/users/", json={"email": "bo@example.com", "password": "1234567"}).status_code
        == 422
    )
    assert client.post("/users/", json={"email": "bo@example.com"}).status_code == 422
    assert client.get("/users/").json() == []


def test_api_sign_ups_get_distinct_usernames_from_their_emails(
    session: Session, client: TestClient
):
    first = client.post("/users/", json={"email": "sam@a.org", "password": PASSWORD}).json()
    second = client.post("/users/", json={"email": "sam@b.org", "password": PASSWORD}).json()
    from webapp import crud

    names = {
        crud.get_user(session, first["id"]).username,
        crud.get_user(session, second["id"]).username,
    }
    assert len(names) == 2
    assert all(name.startswith("sam") for name in names)


def test_list_users_pages_by_id_ascending(session: Session, client: TestClient):
    ids = [make_user(session).id for _ in range(3)]
    assert [u["id"] for u in client.get("/users/").json()] == ids
    assert [u["id"] for u in client.get("/users/?skip=1&limit=1").json()] == ids[1:2]


def test_list_users_refuses_bad_paging_params(client: TestClient):
    for query in ("skip=-1", "limit=0", "limit=abc", "skip=99999999999999999999"):
        assert client.get(f"/users/?{query}").status_code == 422, query


def test_read_user_and_a_missing_one(session: Session, client: TestClient):
    user = make_user(session)
    assert client.get(f"/users/{user.id}").json() == {"email": user.email, "id": user.id}
    missing = client.get(f"/users/{user.id + 1000}")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "User not found"}


def test_huge_ids_are_refused_not_overflowed(client: TestClient):
    assert client.get(f"/users/{2**64}").status_code == 422
    assert client.get(f"/users/{2**64}/tweets/").status_code == 422


def test_token_for_right_password_and_401_for_wrong(session: Session, client: TestClient):
    user = make_user(session)
    ok = client.post("/token", data={"username": user.email.upper(), "password": PASSWORD})
    assert ok.status_code == 200
    assert ok.json()["token_type"] == "bearer"
    wrong = client.post("/token", data={"username": user.email, "password": "wrong password"})
    unknown = client.post("/token", data={"username": "nobody@x.org", "password": PASSWORD})
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert response.json() == {"detail": "Incorrect email or password"}
