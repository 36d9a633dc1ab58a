"""Search in a real Chromium (under the strict CSP): people suggested as you type in the
nav's box, picked with the arrow keys; Enter with nothing picked runs a full search; the
home page loads who to follow after itself."""

from playwright.sync_api import Browser, expect
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.test_browser import browser, open_page  # noqa: F401  (browser is a fixture)
from webapp import crud


def test_type_pick_with_arrow_keys_or_search_everything(
    browser: Browser,  # noqa: F811
    live_server: str,
    session: Session,
) -> None:
    for name in ("ada", "adam", "adele"):
        make_user(session, name)
    make_tweet(session, make_user(session, "bob"), "adaptive coffee roasting")
    errors: list[str] = []
    page = open_page(browser.new_context(), errors)
    page.goto(live_server)
    box = page.get_by_role("combobox", name="Search Chirp")
    box.press_sequentially("ad", delay=30)
    options = page.locator("#nav-suggestions [role=option]")
    expect(options).to_have_count(4)  # three people and "Search for …"
    expect(box).to_have_attribute("aria-expanded", "true")
    box.press("ArrowDown")
    box.press("ArrowDown")
    expect(options.nth(1)).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", options.nth(1).get_attribute("id") or "")
    box.press("ArrowUp")
    expect(options.nth(0)).to_have_attribute("aria-selected", "true")
    box.press("Enter")
    page.wait_for_url(f"{live_server}/@ada")

    box = page.get_by_role("combobox", name="Search Chirp")
    box.fill("adaptive")
    expect(options).to_have_count(1)  # only "Search for …": no one's name starts so
    box.press("Enter")  # nothing picked: the plain form submits
    page.wait_for_url(f"{live_server}/search?q=adaptive")
    expect(page.locator("#results .tweet-text")).to_have_text(["adaptive coffee roasting"])
    assert errors == []


def test_home_fills_in_who_to_follow(
    browser: Browser,  # noqa: F811
    live_server: str,
    session: Session,
) -> None:
    ada, bob, cat = make_user(session, "ada"), make_user(session, "bob"), make_user(session, "cat")
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    crud.follow(session, follower_id=bob.id, followee_id=cat.id)
    errors: list[str] = []
    page = open_page(browser.new_context(), errors)
    page.goto(f"{live_server}/login")
    page.get_by_label("Email").fill(ada.email)
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Log in").click()
    box = page.locator(".who-to-follow")
    expect(box.locator(".handle")).to_have_text(["@cat"])
    box.get_by_role("button", name="Follow @cat").click()
    expect(box.get_by_role("button", name="Following @cat")).to_be_visible()
    assert errors == []
