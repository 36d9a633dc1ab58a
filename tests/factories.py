"""Small factories: each test makes the data it needs, nothing shared."""

import itertools

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from webapp import crud
from webapp.models import Tweet, User

PASSWORD = "correct horse battery"
_counter = itertools.count(1)


def make_user(session: Session, name: str | None = None, password: str = PASSWORD) -> User:
    name = name or f"user{next(_counter)}"
    return crud.create_user(session, email=f"{name}@example.com", password=password, username=name)


def make_tweet(session: Session, owner: User, text: str = "hello world") -> Tweet:
    return crud.create_tweet(session, owner_id=owner.id, text=text)


def bearer(client: TestClient, user: User, password: str = PASSWORD) -> dict[str, str]:
    """Log in through POST /token, as an API client would, and return the auth header."""
    response = client.post("/token", data={"username": user.email, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}
