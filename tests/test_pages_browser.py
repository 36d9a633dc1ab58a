"""Issue 12 in a real Chromium: the phone layout, keyboard focus, the post box, Back.

Each test shows one thing a person noticed, under the app's strict CSP (a violation is a
console error, which fails the test). The phone tests also take the README's screenshots.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, FloatRect, Page, ViewportSize, expect
from sqlalchemy.orm import Session

from tests.browser_helpers import (
    PHONE,
    SCREENSHOTS,
    launch,
    open_page,
    signed_in_context,
)
from tests.factories import make_tweet, make_user
from webapp import crud
from webapp.crud.timelines import PAGE_SIZE
from webapp.models import TWEET_MAX_CHARS


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


@pytest.fixture
def errors() -> Iterator[list[str]]:
    found: list[str] = []
    yield found
    assert found == [], "console errors (a CSP violation is one)"


def box(page: Page, selector: str) -> FloatRect:
    found = page.locator(selector).first.bounding_box()
    assert found is not None, f"{selector} is not laid out"
    return found


def one_line(page: Page, selector: str) -> bool:
    """The element's text sits on one line (no wrap)."""
    lines: int = page.locator(selector).first.evaluate(
        "e => { const r = document.createRange(); r.selectNodeContents(e);"
        " return new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top))).size; }"
    )
    return lines == 1


def test_people_on_a_phone_keep_handle_count_and_bio_apart(
    browser: Browser, live_server: str, session: Session, errors: list[str]
) -> None:
    for name in ("grace_hopper_the_admiral", "ada"):
        person = make_user(session, name)
        crud.update_profile(
            session,
            user_id=person.id,
            display_name=name.replace("_", " ").title(),
            bio="Wrote the first compiler, found the first bug, and explained nanoseconds "
            "with lengths of wire. See https://example.org #history",
        )
    viewer = make_user(session, "viewer")
    context = signed_in_context(browser, session, live_server, viewer, viewport=PHONE)
    page = open_page(context, errors)
    page.goto(f"{live_server}/people")
    row = page.locator(".person", has_text="@grace_hopper_the_admiral")
    handle, count = box(page, ".person .author"), row.locator(".followers").bounding_box()
    assert count is not None
    overlaps_vertically = handle["y"] < count["y"] + count["height"] and count["y"] < (
        handle["y"] + handle["height"]
    )
    overlaps_horizontally = handle["x"] < count["x"] + count["width"] and count["x"] < (
        handle["x"] + handle["width"]
    )
    assert not (overlaps_vertically and overlaps_horizontally), "the handle covers the count"
    assert box(page, ".person .bio")["width"] > 250, "the bio has room to read on a phone"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(SCREENSHOTS / "people-phone-light.png"))


def test_signed_out_top_bar_fits_a_phone_on_one_line(
    browser: Browser, live_server: str, errors: list[str]
) -> None:
    page = open_page(browser.new_context(viewport=PHONE, device_scale_factor=2), errors)
    page.goto(live_server)
    nav = page.locator("header nav")
    assert one_line(page, "header nav a[href='/login']"), "Log in wraps"
    assert one_line(page, "header nav a[href='/signup']"), "Sign up wraps"
    shown = page.locator("header nav li:visible")  # Trends is left out on a phone
    items = [box(page, f"header nav li:visible >> nth={n}") for n in range(shown.count())]
    middles = [item["y"] + item["height"] / 2 for item in items]
    assert max(middles) - min(middles) < 4, "the links sit in one row"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    nav_box = nav.bounding_box()
    assert nav_box is not None
    page.screenshot(
        path=str(SCREENSHOTS / "topbar-phone-signed-out.png"),
        clip={"x": 0, "y": 0, "width": PHONE["width"], "height": nav_box["y"] * 2 + 40},
    )


def test_settings_is_in_the_phone_nav(
    browser: Browser, live_server: str, session: Session, errors: list[str]
) -> None:
    user = make_user(session)
    context = signed_in_context(browser, session, live_server, user, viewport=PHONE)
    page = open_page(context, errors)
    page.goto(live_server)
    settings = page.locator("header nav").get_by_role("link", name="Settings")
    expect(settings).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    settings.click()
    expect(page).to_have_url(f"{live_server}/settings")


def focused(page: Page) -> str:
    """What has keyboard focus, as `tag#id.class text`."""
    return str(
        page.evaluate(
            "() => { const e = document.activeElement;"
            " return `${e.tagName.toLowerCase()}#${e.id}.${e.className} ${e.textContent.trim()}`; }"
        )
    )


def test_focus_stays_somewhere_sensible_after_post_like_follow_and_delete(
    browser: Browser, live_server: str, session: Session, errors: list[str]
) -> None:
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    make_tweet(session, bob, "bob's older tweet")
    page = open_page(signed_in_context(browser, session, live_server, ada), errors)
    page.goto(f"{live_server}/?feed=everyone")
    page.locator("#compose-text").fill("posted from the keyboard")
    page.get_by_role("button", name="Post").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".tweet-text").first).to_have_text("posted from the keyboard")
    expect(page.locator("#compose-text")).to_be_focused()  # ready for the next one
    outline = page.locator("#compose-text").evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline == "solid", "the focused post box shows where the keyboard is"

    like = page.locator(".tweet", has_text="bob's older tweet").locator("form.like button")
    like.focus()
    page.keyboard.press("Enter")
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like).to_be_focused()  # the new button, in the same place

    mine = page.locator(".tweet", has_text="posted from the keyboard")
    page.once("dialog", lambda dialog: dialog.accept())
    mine.get_by_role("link", name="Delete").focus()
    page.keyboard.press("Enter")
    expect(mine).to_have_count(0)
    author = page.locator(".tweet", has_text="bob's older tweet").locator("a.author")
    expect(author).to_be_focused()  # the next tweet's author, not <body> nor the avatar

    page.goto(f"{live_server}/@bob")
    page.get_by_role("button", name="Follow @bob").focus()
    page.keyboard.press("Enter")
    following = page.get_by_role("button", name="Following @bob")
    expect(following).to_be_focused()
    assert "button" in focused(page)


def test_over_long_post_counts_down_marks_and_disables_post(
    browser: Browser, live_server: str, session: Session, errors: list[str]
) -> None:
    page = open_page(signed_in_context(browser, session, live_server, make_user(session)), errors)
    page.goto(live_server)
    text = page.locator("#compose-text")
    text.fill("x" * (TWEET_MAX_CHARS + 5))
    counter = page.locator("#compose-count")
    expect(counter).to_have_text("5 characters too many")
    expect(counter).to_have_class("counter over")
    expect(text).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("button", name="Post")).to_be_disabled()
    text.press("Control+Enter")  # refused by the page itself: nothing is sent
    text.fill("short enough")
    expect(page.get_by_role("button", name="Post")).to_be_enabled()
    expect(counter).to_have_text(f"{TWEET_MAX_CHARS - 12} characters left")
    text.press("Control+Enter")
    expect(page.locator(".tweet-text").first).to_have_text("short enough")
    expect(page.locator(".tweet")).to_have_count(1)


def test_resizing_the_post_box_then_posting_breaks_no_csp_and_keeps_the_size(
    browser: Browser, live_server: str, session: Session, errors: list[str]
) -> None:
    page = open_page(signed_in_context(browser, session, live_server, make_user(session)), errors)
    page.goto(live_server)
    text = page.locator("#compose-text")
    before = box(page, "#compose-text")
    # drag the resize handle in the box's bottom-right corner, as a person would
    page.mouse.move(before["x"] + before["width"] - 3, before["y"] + before["height"] - 3)
    page.mouse.down()
    page.mouse.move(before["x"] + before["width"] - 3, before["y"] + before["height"] + 120)
    page.mouse.up()
    resized = box(page, "#compose-text")["height"]
    assert resized > before["height"] + 60, "the drag resized the box"
    assert text.get_attribute("style"), "the browser keeps the new size in a style attribute"
    text.fill("after a resize")
    page.get_by_role("button", name="Post").click()
    expect(page.locator(".tweet-text").first).to_have_text("after a resize")
    expect(text).to_have_value("")
    assert abs(box(page, "#compose-text")["height"] - resized) < 2, "the box kept its size"
    # the errors fixture fails the test on the CSP's "Refused to apply inline style"


@pytest.mark.parametrize("signed_in", [False, True], ids=["visitor", "signed-in"])
def test_back_after_infinite_scroll_comes_back_to_every_loaded_tweet(
    browser: Browser, live_server: str, session: Session, errors: list[str], signed_in: bool
) -> None:
    author = make_user(session, "ada")
    for n in range(100):
        make_tweet(session, author, f"tweet number {n}")
    viewport: ViewportSize = {"width": 800, "height": 700}
    context = (  # signed in, pages are no-store: Back loads the page again, no page cache
        signed_in_context(browser, session, live_server, author, viewport=viewport)
        if signed_in
        else browser.new_context(viewport=viewport)
    )
    page = open_page(context, errors)
    page.goto(live_server)
    for loaded in (2 * PAGE_SIZE, 3 * PAGE_SIZE):
        page.locator("a.more").scroll_into_view_if_needed()
        expect(page.locator(".tweet")).to_have_count(loaded)
    expect(page).to_have_url(f"{live_server}/?shown={3 * PAGE_SIZE}")
    target = page.locator(".tweet", has_text="tweet number 45")  # well down the page
    target.scroll_into_view_if_needed()
    scrolled = page.evaluate("window.scrollY")
    tweet_id = str(target.get_attribute("id")).removeprefix("tweet-")
    target.locator("a.when").click()
    expect(page).to_have_url(f"{live_server}/t/{tweet_id}")
    page.go_back()
    expect(page.locator(".tweet", has_text="tweet number 45")).to_be_in_viewport()
    assert page.locator(".tweet").count() >= 3 * PAGE_SIZE
    assert abs(page.evaluate("window.scrollY") - scrolled) < 400


def test_without_javascript_like_returns_to_the_post_and_a_refused_post_is_kept(
    browser: Browser, live_server: str, session: Session, errors: list[str]
) -> None:
    ada = make_user(session, "ada")
    for n in range(15):
        make_tweet(session, ada, f"tweet number {n}")
    context = signed_in_context(browser, session, live_server, ada, java_script_enabled=False)
    page = open_page(context, errors)
    page.goto(f"{live_server}/?feed=everyone")
    far = page.locator(".tweet", has_text="tweet number 1").last
    far.locator("form.like button").click()
    expect(page).to_have_url(f"{live_server}/?feed=everyone#{far.get_attribute('id')}")
    expect(page.locator(".tweet", has_text="tweet number 1").last).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 300

    typed = "y" * (TWEET_MAX_CHARS + 3)
    page.locator("#compose-text").fill(typed)
    page.get_by_role("button", name="Post").click()
    expect(page).to_have_url(f"{live_server}/")  # never the address POST /t
    expect(page.locator("#compose-text")).to_have_value(typed)
    expect(page.locator("#compose-error")).to_contain_text(f"at most {TWEET_MAX_CHARS}")
    expect(page.locator("#compose-count")).to_have_text("3 characters too many")
    page.reload()  # the note was for one view: a reload shows an empty box again
    expect(page.locator("#compose-text")).to_have_value("")


@pytest.mark.parametrize("width", [320, 360])
def test_small_phones_never_scroll_sideways(
    browser: Browser, live_server: str, session: Session, errors: list[str], width: int
) -> None:
    user = make_user(session, "someone_with_a_long_handle")
    make_tweet(session, user, "a tweet with a long link https://example.org/a/very/long/path/here")
    viewport: ViewportSize = {"width": width, "height": 700}
    signed_in = signed_in_context(browser, session, live_server, user, viewport=viewport)
    for context in (signed_in, browser.new_context(viewport=viewport)):
        page = open_page(context, errors)
        for path in ("/", "/people", "/@someone_with_a_long_handle"):
            page.goto(live_server + path)
            assert page.evaluate("document.documentElement.scrollWidth") <= width, path
