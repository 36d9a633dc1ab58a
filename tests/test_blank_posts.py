"""A post must show something: text of only invisible characters is refused on every path."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import bearer, make_user
from tests.mastodon_helpers import token
from tests.web import log_in, post_form
from webapp import crud
from webapp.models import Tweet
from webapp.text import has_visible_text

INVISIBLE = [
    "\u200b",  # zero-width space
    "\u00a0",  # no-break space
    " \u200b\u00a0\t\n ",
    "\u2060\ufeff\u200e",  # word joiner, BOM, left-to-right mark
    "\u3164\u2800",  # Hangul filler, braille blank
    "\u0301",  # a combining accent on nothing
]


def _count(session: Session) -> int:
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Tweet)) or 0


@pytest.mark.parametrize("text", INVISIBLE)
def test_the_web_form_refuses_a_post_with_nothing_visible(
    client: TestClient, session: Session, text: str
):
    log_in(client, make_user(session))
    response = post_form(client, "/t", {"text": text})
    # post/redirect/get (issue 12): the home page shows the message by the box
    assert (response.status_code, response.headers["location"]) == (303, "/")
    home = client.get("/")
    assert "can&#39;t be empty" in home.text or "can't be empty" in home.text
    assert _count(session) == 0


@pytest.mark.parametrize("text", INVISIBLE)
def test_the_json_api_refuses_a_post_with_nothing_visible(
    client: TestClient, session: Session, text: str
):
    ada = make_user(session)
    response = client.post(
        f"/users/{ada.id}/tweets/", json={"text": text}, headers=bearer(client, ada)
    )
    assert response.status_code == 422
    assert "visible character" in response.text
    assert _count(session) == 0


@pytest.mark.parametrize("text", INVISIBLE)
def test_the_mastodon_api_refuses_a_status_with_nothing_visible(
    client: TestClient, session: Session, text: str
):
    auth = token(client, make_user(session))
    response = client.post("/api/v1/statuses", json={"status": text}, headers=auth)
    assert response.status_code == 422
    assert "visible character" in response.json()["error"]
    form = client.post("/api/v1/statuses", data={"status": text}, headers=auth)
    assert form.status_code == 422
    assert _count(session) == 0


def test_crud_itself_refuses_it_so_no_future_path_can_skip_the_check(session: Session):
    ada = make_user(session)
    with pytest.raises(crud.BlankTweet):
        crud.create_tweet(session, owner_id=ada.id, text="\u200b\u00a0")


@pytest.mark.parametrize("text", ["a", "é", "😀", "\u200bhi\u200b", "ㅎ", "·", "e\u0301"])
def test_anything_a_reader_can_see_is_a_post(text: str):
    assert has_visible_text(text)
