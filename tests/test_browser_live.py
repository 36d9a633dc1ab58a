"""Live updates in a real Chromium, each person on their own app process: Ada posts and Bob
sees "1 new post" appear without reloading; Bob likes it and Ada's badge goes up, live.

The processes share the database; events cross between them through PostgreSQL
LISTEN/NOTIFY, or (on the SQLite run) Redis pub/sub from a redis-server the test starts.
"""

from collections.abc import Iterator
from contextlib import ExitStack

from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from tests.browser_helpers import open_page
from tests.conftest import IS_POSTGRES
from tests.factories import PASSWORD, make_tweet, make_user
from tests.processes import app_process, redis_server
from tests.test_browser import browser
from webapp import crud

__all__ = ["browser"]  # the module-scoped Chromium fixture, shared with test_browser


def log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#compose")).to_be_visible()


def two_processes() -> Iterator[tuple[str, str]]:
    with ExitStack() as stack:
        env = {} if IS_POSTGRES else {"REDIS_URL": stack.enter_context(redis_server())}
        yield stack.enter_context(app_process(**env)), stack.enter_context(app_process(**env))


def test_bob_sees_ada_post_live_and_ada_sees_his_like_live(browser: Browser, session: Session):
    ada_user, bob_user = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=bob_user.id, followee_id=ada_user.id)
    make_tweet(session, ada_user, "an older post")
    errors: list[str] = []
    for ada_base, bob_base in two_processes():
        ada = open_page(browser.new_context(), errors)
        bob = open_page(browser.new_context(), errors)
        log_in(ada, ada_base, ada_user.email)
        log_in(bob, bob_base, bob_user.email)
        expect(ada.locator("#notification-badge")).to_have_text("1")  # bob's follow
        ada.goto(f"{ada_base}/notifications")  # read: the badge empties
        expect(ada.locator("#notification-badge")).to_have_text("")
        ada.get_by_role("link", name="Home", exact=True).click()
        bob.evaluate("window.stillTheSamePage = true")

        ada.locator("#compose-text").fill("Fresh from Ada")
        ada.get_by_role("button", name="Post", exact=True).click()
        button = bob.locator("#new-posts a")
        expect(button).to_have_text("1 new post")
        button.click()
        expect(bob.locator(".tweet-text").first).to_have_text("Fresh from Ada")
        expect(bob.locator("#new-posts")).to_be_empty()
        assert bob.evaluate("window.stillTheSamePage") is True  # never reloaded

        bob.locator(".tweet").first.locator("form.like button").click()
        expect(ada.locator("#notification-badge")).to_have_text("1")
        ada.get_by_role("link", name="Notifications").click()
        expect(ada.locator("li.notification").first).to_contain_text("bob liked your post")
    assert errors == [], errors
