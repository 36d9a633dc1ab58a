"""The Mastodon media and profile endpoints (issue 16), through the HTTP API."""

import io
from typing import Any

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import images
from tests.factories import make_user
from tests.mastodon_helpers import token
from tests.media_helpers import stored_files
from webapp import crud
from webapp.config import settings
from webapp.models import MediaAttachment


def upload(client: TestClient, auth: dict[str, str], data: bytes, **form: str) -> dict[str, Any]:
    files = {"file": ("photo.jpg", data, "image/jpeg")}
    response = client.post("/api/v2/media", headers=auth, files=files, data=form)
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body


def local_path(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1]  # /media/... on the test client's host


def test_upload_gives_a_clean_image_with_sizes_blurhash_and_cacheable_urls(
    client: TestClient, session: Session
):
    auth = token(client, make_user(session))
    body = upload(client, auth, images.photo_with_gps(), description="a blue sky")
    assert body["type"] == "image" and body["description"] == "a blue sky"
    assert body["meta"]["original"] == {
        "width": 400,
        "height": 300,
        "size": "400x300",
        "aspect": 400 / 300,
    }
    assert body["meta"]["small"]["width"] == 400 and len(body["blurhash"]) == 28
    served = client.get("/" + local_path(body["url"]))
    assert served.status_code == 200 and served.headers["content-type"] == "image/jpeg"
    assert "immutable" in served.headers["cache-control"]
    assert dict(Image.open(io.BytesIO(served.content)).getexif()) == {}
    assert client.get("/" + local_path(body["preview_url"])).status_code == 200


def test_v1_upload_then_read_and_describe_before_posting(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    auth = token(client, ada)
    files = {"file": ("x.png", images.png(), "image/png")}
    media_id = client.post("/api/v1/media", headers=auth, files=files).json()["id"]
    changed = client.put(
        f"/api/v1/media/{media_id}",
        headers=auth,
        data={"description": "teal", "focus": "0.5,-0.25"},
    )
    assert changed.json()["description"] == "teal"
    assert changed.json()["meta"]["focus"] == {"x": 0.5, "y": -0.25}
    assert client.get(f"/api/v1/media/{media_id}", headers=auth).json()["description"] == "teal"
    other = client.get(f"/api/v1/media/{media_id}", headers=token(client, bob))
    assert other.status_code == 404 and other.json() == {"error": "Record not found"}


@pytest.mark.parametrize(
    "data",
    [images.bomb(), b"hello, I am text in a .png", images.truncated_png()],
    ids=["bomb", "text", "truncated"],
)
def test_a_bad_upload_is_a_422_and_stores_nothing(
    client: TestClient, session: Session, data: bytes
):
    auth = token(client, make_user(session))
    before = stored_files()
    files = {"file": ("cat.png", data, "image/png")}
    response = client.post("/api/v2/media", headers=auth, files=files)
    assert response.status_code == 422 and response.json()["error"].startswith("Validation failed")
    assert stored_files() == before
    assert session.scalar(select(func.count()).select_from(MediaAttachment)) == 0


def test_a_file_over_the_cap_is_a_413(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "media_max_bytes", 1000)
    auth = token(client, make_user(session))
    response = client.post(
        "/api/v2/media",
        headers=auth,
        files={"file": ("a.jpg", images.jpeg((400, 400)), "image/jpeg")},
    )
    assert response.status_code == 413 and "limit" in response.json()["error"]


def test_a_status_with_media_shows_them_and_deleting_it_deletes_the_files(
    client: TestClient, session: Session
):
    auth = token(client, make_user(session))
    before = stored_files()
    first = upload(client, auth, images.jpeg(), description="one")
    second = upload(client, auth, images.png(), description="two")
    data = {"status": "", "media_ids[]": [second["id"], first["id"]]}
    posted = client.post("/api/v1/statuses", headers=auth, data=data)
    assert posted.status_code == 200, posted.text
    shown = posted.json()["media_attachments"]
    assert [m["description"] for m in shown] == ["two", "one"]  # the order asked for
    timeline = client.get("/api/v1/timelines/public").json()
    assert [m["id"] for m in timeline[0]["media_attachments"]] == [second["id"], first["id"]]

    again = client.post(
        "/api/v1/statuses", headers=auth, json={"status": "x", "media_ids": [first["id"]]}
    )
    assert again.status_code == 422  # already in a post
    assert client.delete(f"/api/v1/statuses/{posted.json()['id']}", headers=auth).status_code == 200
    assert stored_files() == before


def test_media_ids_refuse_five_and_someone_elses(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    bobs = upload(client, token(client, bob), images.png())
    auth = token(client, ada)
    five = client.post(
        "/api/v1/statuses", headers=auth, json={"status": "x", "media_ids": ["1"] * 5}
    )
    assert five.status_code == 422
    stolen = client.post(
        "/api/v1/statuses", headers=auth, json={"status": "x", "media_ids": [bobs["id"]]}
    )
    assert stolen.status_code == 422
    assert client.post("/api/v1/statuses", headers=auth, json={"status": ""}).status_code == 422


def test_only_media_lists_posts_with_images(client: TestClient, session: Session):
    ada = make_user(session)
    auth = token(client, ada)
    crud.create_tweet(session, owner_id=ada.id, text="words only")
    picture = upload(client, auth, images.jpeg())
    client.post(
        "/api/v1/statuses", headers=auth, json={"status": "look", "media_ids": [picture["id"]]}
    )
    everything = client.get(f"/api/v1/accounts/{ada.id}/statuses").json()
    media_only = client.get(f"/api/v1/accounts/{ada.id}/statuses?only_media=true").json()
    assert len(everything) == 2 and [s["content"] for s in media_only] == ["<p>look</p>"]


def test_public_and_tag_timelines_keep_only_media_and_have_no_remote_posts(
    client: TestClient, session: Session
):
    """An app's media, local and "federated only" tabs (masto.js and megalodon send these):
    Chirp does not federate, so `remote` is empty and `local` is everything."""
    ada = make_user(session)
    auth = token(client, ada)
    crud.create_tweet(session, owner_id=ada.id, text="words about #cats")
    picture = upload(client, auth, images.jpeg())
    client.post(
        "/api/v1/statuses",
        headers=auth,
        json={"status": "a #cats picture", "media_ids": [picture["id"]]},
    )

    def texts(path: str) -> list[str]:
        return [s["content"].split(" ")[0] for s in client.get(path, headers=auth).json()]

    assert texts("/api/v1/timelines/public?only_media=true") == ["<p>a"]
    assert texts("/api/v1/timelines/public?local=true") == ["<p>a", "<p>words"]
    assert texts("/api/v1/timelines/public?remote=true") == []
    assert texts("/api/v1/timelines/tag/cats?only_media=true") == ["<p>a"]
    assert texts("/api/v1/timelines/tag/cats?remote=true") == []
    assert texts("/api/v1/timelines/tag/cats") == ["<p>a", "<p>words"]


def test_update_credentials_sets_name_note_pictures_fields_and_bot(
    client: TestClient, session: Session
):
    ada = make_user(session)
    auth = token(client, ada)
    files = {
        "avatar": ("me.jpg", images.jpeg((800, 600)), "image/jpeg"),
        "header": ("h.png", images.png(), "image/png"),
    }
    data = {
        "display_name": "Ada L.",
        "note": "I like #maths and @bob",
        "bot": "true",
        "fields_attributes[0][name]": "Site",
        "fields_attributes[0][value]": "https://ada.example.org",
    }
    response = client.patch(
        "/api/v1/accounts/update_credentials", headers=auth, files=files, data=data
    )
    assert response.status_code == 200, response.text
    me = response.json()
    assert me["display_name"] == "Ada L." and me["bot"] is True
    assert 'href="http://testserver/tags/maths"' in me["note"]  # absolute, for clients
    assert (
        me["fields"][0]["name"] == "Site"
        and 'href="https://ada.example.org"' in me["fields"][0]["value"]
    )
    assert me["source"]["fields"] == [{"name": "Site", "value": "https://ada.example.org"}]
    avatar = client.get("/" + local_path(me["avatar"]))
    assert Image.open(io.BytesIO(avatar.content)).size == (400, 400)
    header = client.get("/" + local_path(me["header"]))
    assert Image.open(io.BytesIO(header.content)).size == (1500, 500)
    shown = client.get(f"/api/v1/accounts/{ada.id}").json()
    assert shown["avatar"] == me["avatar"] and shown["fields"][0]["name"] == "Site"


def test_update_credentials_refuses_a_bad_avatar_and_keeps_the_profile(
    client: TestClient, session: Session
):
    ada = make_user(session)
    auth = token(client, ada)
    before = stored_files()
    files = {"avatar": ("me.png", b"not a picture", "image/png")}
    response = client.patch(
        "/api/v1/accounts/update_credentials",
        headers=auth,
        files=files,
        data={"display_name": "New"},
    )
    assert response.status_code == 422
    assert client.get(f"/api/v1/accounts/{ada.id}").json()["display_name"] == ""
    assert stored_files() == before


def test_counts_and_last_status_at_are_real(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    crud.create_tweet(session, owner_id=ada.id, text="hi")
    shown = client.get(f"/api/v1/accounts/{ada.id}").json()
    assert (shown["followers_count"], shown["following_count"], shown["statuses_count"]) == (
        1,
        0,
        1,
    )
    assert shown["last_status_at"] is not None and len(shown["last_status_at"]) == 10


def test_followers_and_following_are_paged_with_link_headers(client: TestClient, session: Session):
    star = make_user(session)
    fans = [make_user(session) for _ in range(5)]
    for fan in fans:
        crud.follow(session, follower_id=fan.id, followee_id=star.id)
        crud.follow(session, follower_id=star.id, followee_id=fan.id)
    for direction in ("followers", "following"):
        seen: list[str] = []
        url: str | None = f"/api/v1/accounts/{star.id}/{direction}?limit=2"
        while url:
            response = client.get(url)
            page = response.json()
            seen += [account["id"] for account in page]
            nxt = [
                part
                for part in response.headers.get("link", "").split(", ")
                if 'rel="next"' in part
            ]
            url = nxt[0].split(">")[0].lstrip("<") if page and nxt else None
        assert seen == [str(f.id) for f in reversed(fans)], direction


def test_upload_paths_take_images_but_still_cap_the_body(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    auth = token(client, make_user(session))
    big = images.noisy_jpeg()
    assert len(big) > 256 * 1024  # over the cap every other path keeps
    ok = client.post("/api/v2/media", headers=auth, files={"file": ("big.jpg", big, "image/jpeg")})
    assert ok.status_code == 200, ok.text
    monkeypatch.setattr(settings, "media_max_bytes", 50_000)  # 4 images + 64 KiB: ~264 KB
    refused = client.post(
        "/api/v2/media", headers=auth, files={"file": ("big.jpg", big, "image/jpeg")}
    )
    assert refused.status_code == 413
    assert refused.json()["error"] == "The request body is too large (the limit is 259 KiB)"


def test_media_ids_out_of_range_are_a_422_not_a_database_error(
    client: TestClient, session: Session
):
    headers = token(client, make_user(session))
    for bad in (["99999999999"], ["-1"], ["x"]):
        answer = client.post(
            "/api/v1/statuses", json={"status": "hi", "media_ids": bad}, headers=headers
        )
        assert answer.status_code == 422, bad
        assert answer.json()["error"].startswith("Validation failed: media_ids")
