"""Hostile input gets a plain 4xx, never a 500: NUL bytes, lone surrogates, huge numbers, junk."""

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import bearer, make_user
from webapp.bodysize import MAX_BODY_BYTES

JSON = {"content-type": "application/json"}


@pytest.fixture
def poster(session: Session, client: TestClient) -> tuple[str, dict[str, str]]:
    user = make_user(session)
    return f"/users/{user.id}/tweets/", {**bearer(client, user), **JSON}


@pytest.mark.parametrize(
    "body",
    [
        b'{"text": "nul \\u0000 byte"}',
        b'{"text": "\\udc00 lone low surrogate"}',
        b'{"text": 12345}',
        b'{"text": ["a list"]}',
        b'{"text": null}',
        b'["not", "an", "object"]',
        b'{"text": "unterminated',
        b"\xff\xfe not utf-8",
        b'{"text": "' + b"x" * 281 + b'"}',
    ],
)
def test_a_hostile_tweet_body_is_a_422(
    client: TestClient, poster: tuple[str, dict[str, str]], body: bytes
):
    url, headers = poster
    response = client.post(url, content=body, headers=headers)
    assert response.status_code == 422, response.text
    assert isinstance(response.json()["detail"], list | str)


@pytest.mark.parametrize("user_id", ["9223372036854775808", str(2**70), "-1" + "0" * 30, "1e3"])
def test_huge_or_odd_ids_are_a_422(client: TestClient, user_id: str):
    for path in (f"/users/{user_id}", f"/users/{user_id}/tweets/", f"/users/{user_id}/likes/"):
        assert client.get(path).status_code == 422, path


@pytest.mark.parametrize("user_id", ["0", "-1", "2147483647"])
def test_ids_that_fit_but_match_no_one_are_a_404(client: TestClient, user_id: str):
    response = client.get(f"/users/{user_id}")
    assert response.status_code == 404
    assert response.json() == {"detail": "User not found"}


@pytest.mark.parametrize("query", ["skip=-1", "skip=99999999999999999999", "limit=0", "limit=abc"])
def test_bad_paging_is_a_422(client: TestClient, query: str):
    assert client.get(f"/tweets/?{query}").status_code == 422


def test_a_like_of_a_huge_tweet_id_is_a_422(client: TestClient, session: Session):
    user = make_user(session)
    url = f"/users/{user.id}/likes/"
    for tweet_id in (2**63, "abc", None):
        response = client.post(url, json={"tweet_id": tweet_id}, headers=bearer(client, user))
        assert response.status_code == 422


@pytest.mark.parametrize("email", ["nul\x00@example.com", "\ud800@example.com"])
def test_login_with_a_nul_or_surrogate_is_a_plain_401(client: TestClient, email: str):
    form = f"username={email}&password=%00%ED%A0%80whatever".encode("utf-8", "surrogatepass")
    headers = {"content-type": "application/x-www-form-urlencoded"}
    response = client.post("/token", content=form, headers=headers)
    assert response.status_code in (401, 422)
    assert "detail" in response.json()


def test_sign_up_with_nul_bytes_is_a_422(client: TestClient):
    body = {"email": "al@example.com", "password": "nul\x00in the middle"}
    assert client.post("/users/", json=body).status_code == 422


def test_an_oversized_body_is_a_413_before_it_is_read(
    client: TestClient, poster: tuple[str, dict[str, str]]
):
    url, headers = poster
    huge = json.dumps({"text": "x" * (MAX_BODY_BYTES + 1)})
    response = client.post(url, content=huge, headers=headers)
    assert response.status_code == 413
    assert response.json() == {"detail": "The request body is too large (the limit is 256 KiB)"}


def test_an_oversized_chunked_body_is_a_413(client: TestClient):
    def chunks() -> Iterator[bytes]:
        for _ in range(300):
            yield b"x" * 1024

    response = client.post("/users/", content=chunks(), headers=JSON)
    assert response.status_code == 413
    parts = [b'{"email": "a@b.co", ', b'"password": "zq8!xv#m"}']
    assert client.post("/users/", content=iter(parts), headers=JSON).status_code == 200
