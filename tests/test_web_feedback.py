"""Issue 12 without a browser: what the server renders before any script runs.

Flash notes after a redirect, the post box's counter when over, login by handle, the forms'
messages, tag headings and bios.
"""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_tweet, make_user
from tests.web import HTMX, log_in, post_form, soup
from webapp import security, sqlcount
from webapp.config import settings
from webapp.crud import auth
from webapp.crud.timelines import PAGE_SIZE
from webapp.models import TWEET_MAX_CHARS
from webapp.web import flash
from webapp.web.pages import MAX_SHOWN, page_size


def flash_text(client: TestClient, path: str) -> str | None:
    """The one-line note #flash shows on `path`, or None while it is hidden."""
    box = soup(client.get(path)).find(id="flash")
    return None if box.has_attr("hidden") else str(box.get_text(strip=True))


def test_saving_settings_says_so_once(client: TestClient, session: Session) -> None:
    user = make_user(session, "ada")
    log_in(client, user)
    response = post_form(client, "/settings", {"display_name": "Ada L", "bio": "hi"})
    assert (response.status_code, response.headers["location"]) == (303, "/@ada")
    assert flash_text(client, "/@ada") == "Profile saved."
    assert flash_text(client, "/@ada") is None  # read once: a reload does not repeat it


def test_logging_out_says_so(client: TestClient, session: Session) -> None:
    log_in(client, make_user(session))
    response = post_form(client, "/logout")
    assert response.status_code == 303
    page = soup(client.get("/"))
    assert page.find(id="flash").get_text(strip=True) == "You're logged out."
    assert page.find("a", href="/login") is not None  # and you are


def test_a_forged_flash_cookie_shows_nothing(client: TestClient) -> None:
    client.cookies.set(flash.COOKIE, "eyJ4IjoxfQ.0123456789abcdef")
    assert flash_text(client, "/") is None


def test_a_refused_post_too_big_for_a_cookie_is_answered_in_place_with_every_character(
    client: TestClient, session: Session
) -> None:
    log_in(client, make_user(session))
    # far past the box's maxlength (a script, say): 9,000 bytes of UTF-8 fit no cookie
    typed = "".join(chr(0x4E00 + (n * 7919) % 20000) for n in range(3000))
    response = post_form(client, "/t", {"text": typed})
    assert response.status_code == 422  # no redirect: the page comes back with the text
    assert soup(response).find("textarea", id="compose-text").get_text() == typed


def test_over_long_text_is_counted_as_too_many_before_any_script(
    client: TestClient, session: Session
) -> None:
    log_in(client, make_user(session))
    post_form(client, "/t", {"text": "z" * (TWEET_MAX_CHARS + 141)})
    page = soup(client.get("/"))
    counter = page.find(id="compose-count")
    assert counter.get_text() == "141 characters too many"  # not "-141 characters left"
    assert "over" in counter["class"]
    assert page.find("textarea", id="compose-text")["aria-invalid"] == "true"


@pytest.mark.parametrize("login", ["ada", "@Ada", " ADA ", "ada@example.com"])
def test_login_takes_the_handle_or_the_email(
    client: TestClient, session: Session, login: str
) -> None:
    make_user(session, "ada")
    response = post_form(client, "/login", {"email": login, "password": PASSWORD})
    assert response.status_code == 303
    assert soup(client.get("/")).find("a", href="/@ada") is not None


def test_unknown_handle_and_wrong_password_cost_the_same(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    make_user(session, "ada")
    verified: list[str] = []
    real_verify = security.verify_password

    def counting_verify(password: str, hashed: str) -> tuple[bool, str | None]:
        verified.append(hashed.split("$")[3])
        return real_verify(password, hashed)

    monkeypatch.setattr(auth, "verify_password", counting_verify)
    for login in ("ada", "nobody", "@nobody"):
        response = post_form(client, "/login", {"email": login, "password": "wrong guess 1"})
        assert response.status_code == 422
    assert verified == ["m=19456,t=2,p=1"] * 3  # one argon2 check each, with the same costs


def test_a_signup_error_takes_the_place_of_its_hint(client: TestClient) -> None:
    response = post_form(
        client, "/signup", {"email": "a@example.com", "handle": "Ada!", "password": "short"}
    )
    page = soup(response)
    for name in ("handle", "password"):
        field = page.find("input", id=name).find_parent(class_="field")
        assert field.find(class_="hint") is None  # said once, by the error
        assert field.find(class_="field-error").get_text()
        assert page.find("input", id=name)["aria-describedby"] == f"{name}-error"
    hint = soup(client.get("/signup")).find(id="handle-hint").get_text()
    assert "/@handle" in hint  # before any error, the hint is there


def test_tag_heading_keeps_the_case_people_write(client: TestClient, session: Session) -> None:
    make_tweet(session, make_user(session), "shipping with #HTMX today")
    assert soup(client.get("/tags/htmx")).find("h1").get_text() == "#HTMX"
    assert soup(client.get("/tags/HtMx")).find("h1").get_text() == "#HtMx"  # as typed
    assert soup(client.get("/tags/nothing")).find("h1").get_text() == "#nothing"


def test_bios_link_urls_mentions_and_tags(client: TestClient, session: Session) -> None:
    ada = make_user(session, "ada")
    make_user(session, "bob")
    log_in(client, ada)
    post_form(client, "/settings", {"display_name": "", "bio": "see https://x.org @bob #Chirp"})
    for path in ("/@ada", "/people"):
        bio = soup(client.get(path)).select_one(".bio")
        links = [a["href"] for a in bio.find_all("a")]
        assert links == ["https://x.org", "/@bob", "/tags/chirp"]


def test_the_page_back_returns_to_holds_every_loaded_tweet_at_the_same_cost(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada = make_user(session, "ada")
    log_in(client, ada)
    for n in range(3 * PAGE_SIZE + 5):
        make_tweet(session, ada, f"tweet {n}")
    first = soup(client.get("/")).find("a", class_="more")["href"]
    fragment = client.get(first, headers=HTMX)  # what the scroll trigger asks for
    assert fragment.headers["hx-replace-url"] == f"/?shown={2 * PAGE_SIZE}"
    back = client.get(fragment.headers["hx-replace-url"])
    assert len(soup(back).select("article.tweet")) == 2 * PAGE_SIZE
    assert back.headers[sqlcount.HEADER] == "2"  # session, timeline: as any home page
    more = soup(back).find("a", class_="more")["href"]  # and scrolling goes on from there
    assert soup(client.get(more, headers=HTMX)).select_one(".tweet-text").get_text() == (
        f"tweet {PAGE_SIZE + 4}"
    )
    assert page_size(None, 10**9) == MAX_SHOWN  # a made-up count cannot ask for everything
