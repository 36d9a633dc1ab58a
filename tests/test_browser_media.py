"""Profiles and pictures in a real Chromium (issue 16): edit a profile with an avatar, post
two images with alt text and see them on the card, open the full image, and reach the
follower lists from the counts; once with JavaScript (htmx) and once without."""

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, FilePayload, Page, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests import images
from tests.browser_helpers import CHROMIUM, open_page
from tests.test_browser import sign_up


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


def picture(name: str, data: bytes, mime: str = "image/jpeg") -> FilePayload:
    return {"name": name, "mimeType": mime, "buffer": data}


def loaded(page: Page, selector: str) -> bool:
    """The image really decoded in the browser (not a broken icon): given up to five seconds,
    since a page can be shown before its images have arrived."""
    decoded = (
        "s => { const img = document.querySelector(s);"
        " return !!img && img.complete && img.naturalWidth > 0 }"
    )
    try:
        page.wait_for_function(decoded, arg=selector, timeout=5000)
    except PlaywrightTimeoutError:
        return False
    return True


def edit_profile_with_avatar(page: Page, base: str, handle: str) -> None:
    page.get_by_role("link", name="Profile").click()
    page.get_by_role("link", name="Edit profile").click()
    page.get_by_label("Display name").fill("Ada Lovelace")
    page.get_by_label("Bio").fill("Engines and #maths")
    page.get_by_label("Avatar").set_input_files(
        picture("me.jpg", images.jpeg((640, 480), "crimson"))
    )
    page.get_by_label("Label 1").fill("Site")
    page.get_by_label("Content 1").fill("https://example.org")
    page.get_by_role("button", name="Save profile").click()
    expect(page).to_have_url(f"{base}/@{handle}")
    expect(page.locator("h1")).to_have_text("Ada Lovelace")
    expect(page.locator(".profile-fields dt")).to_have_text("Site")
    assert loaded(page, ".profile-head .avatar img")


def post_two_images(page: Page, base: str) -> None:
    page.goto(base)
    page.get_by_text("Add images").click()
    page.get_by_label("Image 1", exact=True).set_input_files(picture("a.jpg", images.jpeg()))
    page.get_by_label("Alt text for image 1").fill("An orange rectangle")
    page.get_by_label("Image 2", exact=True).set_input_files(
        picture("b.png", images.png(), "image/png")
    )
    page.get_by_label("Alt text for image 2").fill("A teal square")
    page.locator("#compose-text").fill("Two pictures")
    page.get_by_role("button", name="Post").click()
    card = page.locator("article.tweet").first
    expect(card.locator(".tweet-text")).to_have_text("Two pictures")
    expect(card.locator(".media-grid img")).to_have_count(2)
    expect(card.get_by_role("img", name="An orange rectangle")).to_be_visible()
    expect(card.locator(".alt-badge")).to_have_count(2)
    assert loaded(page, "article.tweet .media-grid img")
    assert loaded(page, "article.tweet .avatar img")  # the new avatar on the card


def open_full_image(page: Page) -> None:
    page.locator("article.tweet").first.get_by_role(
        "link", name="Open image: A teal square"
    ).click()
    expect(page).to_have_url(re.compile(r"/media/media/[0-9a-f]+\.(jpg|png)$"))


def follower_lists(page: Page, base: str) -> None:
    page.goto(f"{base}/@ada")
    page.get_by_role("link", name="1 follower").click()
    expect(page.locator("h1")).to_contain_text("Followers of")
    expect(page.locator(".person a.author")).to_have_text("bob @bob")
    page.get_by_role("link", name="Following").click()
    expect(page.locator(".empty")).to_contain_text("doesn't follow anyone yet")


@pytest.mark.parametrize("javascript", [True, False], ids=["htmx", "no-js"])
def test_profile_pictures_and_follower_lists(browser: Browser, live_server: str, javascript: bool):
    errors: list[str] = []
    suffix = "" if javascript else "-nojs"
    ada = open_page(browser.new_context(java_script_enabled=javascript), errors)
    sign_up(ada, live_server, f"ada{suffix}@example.com", f"ada{suffix.replace('-', '_')}")
    handle = f"ada{suffix.replace('-', '_')}"
    edit_profile_with_avatar(ada, live_server, handle)
    post_two_images(ada, live_server)

    bob = open_page(browser.new_context(java_script_enabled=javascript), errors)
    sign_up(bob, live_server, f"bob{suffix}@example.com", f"bob{suffix.replace('-', '_')}")
    bob.goto(f"{live_server}/@{handle}")
    bob.get_by_role("button", name=f"Follow @{handle}").click()
    expect(bob.get_by_role("button", name=f"Following @{handle}")).to_be_visible()

    ada.goto(f"{live_server}/@{handle}")
    ada.get_by_role("link", name="1 follower").click()
    expect(ada.locator("h1")).to_contain_text("Followers of")
    expect(ada.locator(".person a.author .handle")).to_have_text(f"@bob{suffix.replace('-', '_')}")
    ada.get_by_role("link", name="Following").click()
    expect(ada.locator(".empty")).to_contain_text("doesn't follow anyone yet")

    assert errors == [], errors
    ada.goto(live_server)
    open_full_image(ada)  # (Chromium's own image viewer styles inline: not the app's page)
