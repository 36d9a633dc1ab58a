"""The conversation stories in a real Chromium, with JavaScript and without it.

Two people hold a three-level conversation; one reposts and quotes; a followers-only post
stays invisible to a stranger on every page. With JavaScript the reply box opens in place
(htmx); without it every step is a plain link or form post answering 303.
"""

import re

import pytest
from playwright.sync_api import Browser, Locator, Page, expect
from sqlalchemy.orm import Session

from tests.browser_helpers import open_page
from tests.factories import PASSWORD, make_user
from tests.test_browser import browser  # noqa: F401  (the module's browser fixture)
from webapp import crud


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()


def card(page: Page, text: str) -> Locator:
    return page.locator("article.tweet", has=page.locator(".tweet-text", has_text=text)).first


def reply(page: Page, to: Locator, text: str, *, js: bool) -> None:
    """Reply from a card: in place with JavaScript, on the reply page without."""
    to.locator(":scope > footer a.reply").click()  # named by its count: "0 replies"
    box = page.locator("form.reply-compose textarea").last
    expect(box).to_have_value(re.compile(r"^@\w+ $"))  # prefilled with the conversation
    box.fill(f"{box.input_value()}{text}")
    page.locator("form.reply-compose").last.get_by_role("button", name="Reply").click()
    if js:
        expect(page.locator(".reply-posted .tweet-text").last).to_contain_text(text)
    else:
        expect(page.locator("section.replies .tweet-text", has_text=text)).to_be_visible()


def thread_of(page: Page, part: str) -> list[str]:
    return page.locator(f"section.{part} article.tweet .tweet-text").all_inner_texts()


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_conversation_repost_quote_and_a_private_post(
    browser: Browser,  # noqa: F811
    live_server: str,
    session: Session,
    js: bool,
) -> None:
    ada_user, bob_user = make_user(session, "ada"), make_user(session, "bob")
    make_user(session, "cara")
    crud.follow(session, follower_id=bob_user.id, followee_id=ada_user.id)
    errors: list[str] = []
    ada = open_page(browser.new_context(java_script_enabled=js), errors)
    bob = open_page(browser.new_context(java_script_enabled=js), errors)
    log_in(ada, live_server, "ada@example.com")
    log_in(bob, live_server, "bob@example.com")

    # 1. ada asks; bob answers from his home timeline; ada answers bob on the post's page
    ada.locator("#compose-text").fill("Tea or coffee?")
    ada.get_by_role("button", name="Post", exact=True).click()
    expect(card(ada, "Tea or coffee?")).to_be_visible()
    bob.reload()
    reply(bob, card(bob, "Tea or coffee?"), "tea, always", js=js)

    ada.goto(f"{live_server}/@ada")
    card(ada, "Tea or coffee?").locator(":scope > header a.when").click()
    expect(card(ada, "tea, always").locator(":scope > .replying-to")).to_have_text(
        "Replying to @ada"
    )
    reply(ada, card(ada, "tea, always"), "green or black?", js=js)

    card(ada, "tea, always").locator(":scope > header a.when").click()
    expect(ada.locator("section.single .tweet-text")).to_have_text("@ada tea, always")
    assert thread_of(ada, "ancestors") == ["Tea or coffee?"]
    assert thread_of(ada, "replies") == ["@bob green or black?"]
    expect(card(ada, "Tea or coffee?").locator(":scope > footer a.reply .count")).to_have_text("1")

    # 2. bob reposts ada's question and quotes it
    bob.goto(f"{live_server}/@ada")
    repost = card(bob, "Tea or coffee?").locator(":scope > footer form.repost button")
    repost.click()
    expect(
        card(bob, "Tea or coffee?").locator(":scope > footer form.repost button")
    ).to_have_attribute("aria-pressed", "true")
    expect(card(bob, "Tea or coffee?").locator(":scope > footer form.repost .count")).to_have_text(
        "1"
    )
    card(bob, "Tea or coffee?").get_by_role("link", name="Quote").click()
    bob.get_by_placeholder("Add a comment").fill("The eternal question")
    bob.get_by_role("button", name="Post", exact=True).click()
    # with JavaScript the quote appears where the box was; without, the post redirects home
    posted = bob.locator(".reply-posted .tweet-text") if js else bob.locator(".tweet-text").first
    expect(posted).to_have_text("The eternal question")
    bob.goto(f"{live_server}/@bob")
    quote = card(bob, "The eternal question")
    expect(quote.locator("a.quoted .quoted-text")).to_have_text("Tea or coffee?")
    expect(card(bob, "Tea or coffee?").locator(".reposted-by")).to_contain_text("@bob reposted")

    # 3. ada posts to her followers only: bob sees it, cara (a stranger) finds it nowhere
    ada.goto(live_server)
    ada.locator("#compose-text").fill("Followers only: the cake is in the fridge #secret")
    ada.locator("#compose-visibility").select_option(label="Followers only")
    ada.get_by_role("button", name="Post", exact=True).click()
    expect(card(ada, "the cake is in the fridge")).to_be_visible()
    ada.goto(f"{live_server}/@ada")
    secret = card(ada, "the cake is in the fridge")
    expect(secret.locator(".visibility")).to_have_text("Followers only")
    secret_path = secret.locator(":scope > header a.when").get_attribute("href")
    assert secret_path

    bob.goto(live_server)
    expect(card(bob, "the cake is in the fridge")).to_be_visible()
    cara = open_page(browser.new_context(java_script_enabled=js), errors)
    log_in(cara, live_server, "cara@example.com")
    for path in ["/", "/?feed=everyone", "/@ada", "/@ada/replies", "/tags/secret"]:
        cara.goto(live_server + path)
        expect(cara.locator("main")).to_be_visible()
        expect(cara.get_by_text("the cake is in the fridge")).to_have_count(0)
    response = cara.goto(live_server + secret_path)
    assert response is not None and response.status == 404
    expect(cara.get_by_text("the cake is in the fridge")).to_have_count(0)
    assert errors == []
