"""Mastodon.py (the real client) against a live Chirp: media, profile editing, follower lists."""

import httpx
from sqlalchemy.orm import Session

from tests import images
from tests.factories import make_user
from tests.mastodon_helpers import mastodon_py
from webapp import crud


def test_media_post_then_status_post_with_two_images(live_server: str, session: Session):
    api = mastodon_py(live_server, make_user(session).email)
    first = api.media_post(images.photo_with_gps(), mime_type="image/jpeg", description="the sky")
    second = api.media_post(
        images.png(), mime_type="image/png", description="teal square", focus=(0.1, 0.2)
    )
    assert first["url"] and second["meta"]["focus"] == {"x": 0.1, "y": 0.2}
    status = api.status_post("two pictures", media_ids=[first, second])
    shown = status["media_attachments"]
    assert [m["description"] for m in shown] == ["the sky", "teal square"]
    picture = httpx.get(shown[0]["url"])
    assert picture.status_code == 200 and b"GPS" not in picture.content
    assert api.status(status["id"])["media_attachments"][1]["blurhash"] == second["blurhash"]


def test_account_update_credentials_with_an_avatar(live_server: str, session: Session):
    api = mastodon_py(live_server, make_user(session).email)
    me = api.account_update_credentials(
        display_name="Bot Ada",
        note="beep",
        avatar=images.jpeg((500, 300)),
        avatar_mime_type="image/jpeg",
        fields=[("Home", "https://example.org"), ("Pronouns", "it/its")],
        bot=True,
    )
    assert me["display_name"] == "Bot Ada" and me["bot"] is True
    assert [f["name"] for f in me["fields"]] == ["Home", "Pronouns"]
    assert "/media/avatars/" in me["avatar"] and httpx.get(me["avatar"]).status_code == 200
    assert api.account_verify_credentials()["avatar"] == me["avatar"]


def test_account_followers_and_following_page_with_fetch_next(live_server: str, session: Session):
    star = make_user(session)
    fans = [make_user(session) for _ in range(5)]
    for fan in fans:
        crud.follow(session, follower_id=fan.id, followee_id=star.id)
    crud.follow(session, follower_id=star.id, followee_id=fans[0].id)
    api = mastodon_py(live_server, star.email)
    page = api.account_followers(star.id, limit=2)
    seen = []
    while page:
        seen += [str(account["id"]) for account in page]
        page = api.fetch_next(page)
    assert seen == [str(fan.id) for fan in reversed(fans)]
    assert [str(a["id"]) for a in api.account_following(star.id)] == [str(fans[0].id)]
