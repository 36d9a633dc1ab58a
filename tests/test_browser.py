"""The whole story in a real Chromium: two people sign up, post, like, follow, scroll, delete.

Debian's chromium (installed by .ci/run) drives the real app over a live uvicorn, with htmx
and app.js running. A missing browser fails this test: it never skips. It also writes the
README's screenshots (docs/screenshots/), phone and desktop, light and dark.
"""

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    expect,
    sync_playwright,
)
from sqlalchemy.orm import Session

from webapp import crud
from webapp.config import ROOT
from webapp.crud.timelines import PAGE_SIZE

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "docs" / "screenshots"
PASSWORD = "a long enough password"
# The policy the app is meant to send; added here too, so this test proves the pages need
# no inline script or style (a violation is a console error, which fails the test).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'"
)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


def with_csp(route: Route) -> None:
    response = route.fetch(max_redirects=0)  # the browser follows redirects itself
    route.fulfill(response=response, headers={**response.headers, "content-security-policy": CSP})


def open_page(context: BrowserContext, errors: list[str]) -> Page:
    context.route("**/*", with_csp)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda message: record_console(message, errors))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def record_console(message: ConsoleMessage, errors: list[str]) -> None:
    # A 422 on purpose (the empty tweet) logs "Failed to load resource"; script errors matter.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(message.text)


def sign_up(page: Page, base: str, email: str, handle: str) -> None:
    page.goto(base)  # a visitor finds the way in from the top bar
    link = page.locator("header").get_by_role("link", name="Sign up")
    text, fill = link.evaluate(
        "e => [getComputedStyle(e).color, getComputedStyle(e).backgroundColor]"
    )
    assert text != fill and fill != "rgba(0, 0, 0, 0)", "the Sign up button must be readable"
    link.click()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Handle").fill(handle)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign up").click()
    expect(page.locator("#compose")).to_be_visible()


def post(page: Page, text: str) -> None:
    page.locator("#compose-text").fill(text)
    page.get_by_role("button", name="Post").click()
    expect(page.locator(".tweet-text").first).to_have_text(text)


def test_two_people_post_like_follow_scroll_and_delete(
    browser: Browser, live_server: str, session: Session
) -> None:
    errors: list[str] = []
    ada = open_page(browser.new_context(), errors)
    sign_up(ada, live_server, "ada@example.com", "ada")

    ada.get_by_role("button", name="Post").click()  # an empty tweet: the error sits by the box
    expect(ada.locator("#compose-error")).to_contain_text("can't be empty")
    ada.locator("#compose-text").fill("x" * 290)
    expect(ada.locator("#compose-count")).to_have_text("10 characters too many")
    post(ada, "Hello, Chirp! Reading about #htmx at https://htmx.org")
    expect(ada.locator("#compose-text")).to_have_value("")
    expect(ada.locator("#compose-count")).to_have_text("280 characters left")

    bob_context = browser.new_context()
    bob = open_page(bob_context, errors)
    sign_up(bob, live_server, "bob@example.com", "bob")
    expect(bob.locator(".tweet")).to_have_count(0)  # bob follows nobody yet
    bob.get_by_role("link", name="Everyone").click()
    like = bob.locator(".tweet").first.locator("form.like button")
    like.click()
    expect(like).to_have_attribute("aria-pressed", "true")
    expect(like.locator(".count")).to_have_text("1")

    bob.goto(f"{live_server}/@ada")
    bob.get_by_role("button", name="Follow @ada").click()
    expect(bob.get_by_role("button", name="Following @ada")).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(bob.locator(".followers")).to_have_text("1 follower")
    bob.goto(live_server)
    expect(bob.locator(".tweet-text").first).to_contain_text("Hello, Chirp!")

    seed_conversation(session)
    take_screenshots(browser, bob_context, live_server)

    user = crud.get_user_by_username(session, "ada")
    for n in range(PAGE_SIZE + 5):
        crud.create_tweet(session, owner_id=user.id, text=f"Filler tweet number {n}")
    bob.reload()
    expect(bob.locator(".tweet")).to_have_count(PAGE_SIZE)
    bob.locator("a.more").scroll_into_view_if_needed()
    expect(bob.locator(".tweet")).to_have_count(PAGE_SIZE + 5 + 4)  # + ada's first four
    expect(bob.locator("a.more")).to_have_count(0)

    ada.reload()
    first = ada.locator(".tweet").first
    text = first.locator(".tweet-text").inner_text()
    ada.once("dialog", lambda dialog: dialog.accept())
    first.get_by_role("link", name="Delete").click()
    expect(ada.locator(".tweet-text", has_text=text)).to_have_count(0)
    assert errors == []


def seed_conversation(session: Session) -> None:
    """A few friendly tweets so the screenshots show what the product looks like in use."""
    ada = crud.get_user_by_username(session, "ada")
    crud.update_profile(session, user_id=ada.id, display_name="Ada Lovelace", bio="Engines.")
    bob = crud.get_user_by_username(session, "bob")
    for text in (
        "The Analytical Engine weaves algebraic patterns just as the Jacquard loom weaves flowers.",
        "Shipping a tiny Twitter today: server-rendered pages, #htmx for the fiddly bits, "
        "and everything still works with JavaScript off.",
        "Tip: @bob, dark mode follows your system setting. Try it!",
    ):
        tweet = crud.create_tweet(session, owner_id=ada.id, text=text)
        if "#htmx" in text:
            crud.like(session, user_id=bob.id, tweet_id=tweet.id)


def take_screenshots(browser: Browser, signed_in: BrowserContext, base: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    state = signed_in.storage_state()
    sizes = {"desktop": (1280, 800), "phone": (390, 844)}
    for device, (width, height) in sizes.items():
        for scheme in ("light", "dark"):
            context = browser.new_context(
                storage_state=state,
                viewport={"width": width, "height": height},
                color_scheme=scheme,
                device_scale_factor=1,
            )
            page = context.new_page()
            page.goto(base)
            expect(page.locator(".tweet").first).to_be_visible()
            page.screenshot(path=str(SCREENSHOTS / f"home-{device}-{scheme}.png"))
            context.close()
