"""Pictures on the web pages (issue 16), as a browser without JavaScript sends them: plain
multipart forms answered by 303, and pages that show what was uploaded."""

from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import images
from tests.factories import make_tweet, make_user
from tests.media_helpers import stored_files
from tests.web import HTMX, csrf_token, log_in, soup
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.models import MediaAttachment, Tweet, User


def compose(client: TestClient, text: str, pictures: list[tuple[bytes, str]], **kw: Any):
    """The composer's form: four file inputs (empty ones too, as browsers send them)."""
    files = [("image", (f"p{i}.jpg", data, "image/jpeg")) for i, (data, _) in enumerate(pictures)]
    files += [("image", ("", b"", "application/octet-stream"))] * (4 - len(pictures))
    alts = [alt for _, alt in pictures] + [""] * (4 - len(pictures))
    data = {"csrf_token": csrf_token(client), "text": text, "alt": alts}
    return client.post("/t", data=data, files=files, follow_redirects=False, **kw)


def test_posting_two_images_with_alt_text_shows_a_grid_with_alt_badges(
    client: TestClient, session: Session
):
    log_in(client, make_user(session))
    response = compose(client, "my cats", [(images.jpeg(), "a ginger cat"), (images.png(), "")])
    assert response.status_code == 303
    card = soup(client.get("/")).select_one("article.tweet")
    pictures = card.select(".media-grid img")
    assert [img["alt"] for img in pictures] == ["a ginger cat", ""]
    assert [b.get_text() for b in card.select(".alt-badge")] == ["ALT"]  # only the described one
    full = card.select(".media-grid a")[0]["href"]
    assert full != pictures[0]["src"]  # the link opens the full-size original
    assert client.get(full).status_code == 200 and client.get(pictures[0]["src"]).status_code == 200


def test_images_alone_make_a_post_and_htmx_gets_the_card(client: TestClient, session: Session):
    log_in(client, make_user(session))
    response = compose(
        client, "", [(images.jpeg(), "sunset")], headers=HTMX | {"X-CSRF-Token": csrf_token(client)}
    )
    assert response.status_code == 200
    assert soup(response).select_one("article.tweet .media-grid img")["alt"] == "sunset"


@pytest.mark.parametrize(
    "bad", [images.bomb(), b"just text", images.truncated_png()], ids=["bomb", "text", "truncated"]
)
def test_a_bad_image_keeps_the_text_says_why_and_stores_nothing(
    client: TestClient, session: Session, bad: bytes
):
    log_in(client, make_user(session))
    before = stored_files()
    response = compose(client, "keep me", [(images.jpeg(), "ok"), (bad, "bad")])
    assert response.status_code == 303  # post/redirect/get: the note rides a flash cookie
    page = soup(client.get(response.headers["location"]))
    assert page.select_one("#compose-text").get_text() == "keep me"
    assert "image" in page.select_one("#compose-images-error").get_text().lower()
    assert stored_files() == before
    assert session.scalar(select(func.count()).select_from(Tweet)) == 0
    assert session.scalar(select(func.count()).select_from(MediaAttachment)) == 0


def edit_profile(client: TestClient, data: dict[str, Any], files: dict[str, Any] | None = None):
    form = {"csrf_token": csrf_token(client, "/settings/profile")} | data
    return client.post("/settings/profile", data=form, files=files or {}, follow_redirects=False)


def test_edit_profile_with_avatar_header_fields_and_bot(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    make_tweet(session, ada, "hello")
    log_in(client, ada)
    response = edit_profile(
        client,
        {
            "display_name": "Ada Lovelace",
            "bio": "Engines, see https://example.org #maths",
            "field_name": ["Site", "Pronouns", "", ""],
            "field_value": ["https://ada.example.org", "she/her", "", ""],
            "bot": "on",
        },
        {
            "avatar": ("me.jpg", images.jpeg((700, 500)), "image/jpeg"),
            "header": ("h.png", images.png(), "image/png"),
        },
    )
    assert response.status_code == 303 and response.headers["location"] == "/@ada"
    page = soup(client.get("/@ada"))
    assert page.select_one("h1").get_text() == "Ada Lovelace"
    assert page.select_one(".profile-header")["src"].startswith("/media/headers/")
    assert page.select_one(".profile-head .avatar img")["src"].startswith("/media/avatars/")
    assert page.select_one(".bio a.hashtag")["href"] == "/tags/maths"
    assert [dt.get_text() for dt in page.select(".profile-fields dt")] == ["Site", "Pronouns"]
    assert page.select_one(".profile-fields dd a")["href"] == "https://ada.example.org"
    assert (
        page.select_one(".bot-badge") is not None
        and "Joined" in page.select_one(".joined").get_text()
    )
    card_avatar = page.select_one("article.tweet .avatar img")
    assert card_avatar["src"] == page.select_one(".profile-head .avatar img")["src"]
    form = soup(client.get("/settings/profile"))
    assert form.select_one("#field-name-0")["value"] == "Site" and form.select_one("#bot").has_attr(
        "checked"
    )


def test_a_bad_avatar_is_refused_and_the_profile_kept(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    log_in(client, ada)
    before = stored_files()
    response = edit_profile(
        client, {"display_name": "Changed"}, {"avatar": ("a.png", b"nope", "image/png")}
    )
    assert response.status_code == 422
    assert "image" in soup(response).select_one("#avatar-error").get_text().lower()
    session.expire_all()
    assert session.get(User, ada.id).display_name == "" and stored_files() == before  # type: ignore[union-attr]


def test_five_profile_fields_are_refused(client: TestClient, session: Session):
    log_in(client, make_user(session))
    data = {"field_name": list("abcde"), "field_value": list("12345")}
    response = edit_profile(client, data)
    assert (
        response.status_code == 422
        and "at most 4" in soup(response).select_one("#fields-error").get_text()
    )


def test_followers_and_following_lists_are_linked_from_the_counts_and_paged(
    client: TestClient, session: Session
):
    star = make_user(session, "star")
    fans = [make_user(session) for _ in range(23)]
    for fan in fans:
        crud.follow(session, follower_id=fan.id, followee_id=star.id)
    crud.follow(session, follower_id=star.id, followee_id=fans[0].id)
    log_in(client, fans[1])
    profile = soup(client.get("/@star"))
    assert profile.select_one("a.followers")["href"] == "/@star/followers"
    assert profile.select_one("a.following-count")["href"] == "/@star/following"

    first = soup(client.get("/@star/followers"))
    names = [a["href"] for a in first.select(".person a.author")]
    assert len(names) == 20 and names[0] == f"/@{fans[-1].username}"
    more = first.select_one("a.more")["href"]
    rest = soup(client.get(more, headers=HTMX))
    names += [a["href"] for a in rest.select(".person a.author")]
    assert names == [f"/@{fan.username}" for fan in reversed(fans)]
    assert rest.select_one("a.more") is None
    buttons = {" ".join(b.get_text().split()) for b in first.select(".person form.follow button")}
    assert f"Follow @{fans[5].username}" in buttons  # follow buttons on the list
    following = soup(client.get("/@star/following"))
    assert [a["href"] for a in following.select(".person a.author")] == [f"/@{fans[0].username}"]


def test_the_media_tab_lists_only_posts_with_images(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    log_in(client, ada)
    make_tweet(session, ada, "words only")
    compose(client, "with a picture", [(images.jpeg(), "x")])
    page = soup(client.get("/@ada/media"))
    assert [p.get_text() for p in page.select("article.tweet .tweet-text")] == ["with a picture"]
    assert page.select_one('.profile-tabs a[aria-current="page"]').get_text() == "Media"


@pytest.mark.parametrize("posts", [2, 25])
def test_pictures_cost_no_extra_statements(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch, posts: int
):
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada = make_user(session, "ada")
    log_in(client, ada)
    edit_profile(
        client, {"display_name": "Ada"}, {"avatar": ("a.jpg", images.jpeg(), "image/jpeg")}
    )
    for i in range(posts):
        compose(client, f"post {i}", [(images.png((40, 40)), f"alt {i}")])
    fans = [make_user(session) for _ in range(posts)]
    for fan in fans:
        crud.follow(session, follower_id=fan.id, followee_id=ada.id)

    def cost(path: str) -> int:
        response = client.get(path)
        assert response.status_code == 200
        return int(response.headers[sqlcount.HEADER])

    # your own profile reads no follow or block flags (webapp/web/pages.py follow_context);
    # it reads its featured tags and its pinned posts (issue 19)
    assert cost("/") == 2 and cost("/@ada") == 6
    assert cost("/@ada/media") == 5
    assert cost("/@ada/followers") == 5  # session, owner, page, counts, your follows


def test_a_suspended_accounts_media_and_lists_are_gone_like_its_profile(
    client: TestClient, session: Session
):
    ada = make_user(session, "ada")
    ada.suspended_at = datetime.now(UTC)
    session.commit()
    for path in ("/@ada", "/@ada/media", "/@ada/followers", "/@ada/following"):
        assert client.get(path).status_code == 404, path


def test_a_post_with_images_is_on_its_tag_page(client: TestClient, session: Session):
    log_in(client, make_user(session))
    compose(client, "sunset #photography", [(images.jpeg(), "orange sky")])
    page = soup(client.get("/tags/photography"))
    assert page.select_one("article.tweet .media-grid img")["alt"] == "orange sky"
