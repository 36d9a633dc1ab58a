"""An account's life in a real Chromium: forgot password through a real mail, download the
archive, delete the account. Same browser set-up as test_browser.py (strict CSP, console
errors fail the test)."""

import io
import json
import zipfile

from playwright.sync_api import Browser, Page, expect
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_tweet, make_user
from tests.smtp import Inbox
from tests.test_browser import browser, open_page  # noqa: F401 (browser is a fixture)

NEW_PASSWORD = "my new and better passphrase"


def test_forgot_password_export_and_delete(
    browser: Browser,  # noqa: F811
    live_server: str,
    session: Session,
    inbox: Inbox,
):
    ada = make_user(session, "ada")
    make_tweet(session, ada, "a post worth keeping")
    errors: list[str] = []
    context = browser.new_context(accept_downloads=True)
    page = open_page(context, errors)

    # Forgot password: the login page links to it, the mail's link sets a new one.
    page.goto(f"{live_server}/login")
    page.get_by_role("link", name="Forgot password?").click()
    page.get_by_label("Email").fill(ada.email)
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("status")).to_contain_text("is on its way")
    page.goto(f"{live_server}{inbox.link()}")
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_role("button", name="Save and log in").click()
    expect(page.locator("#compose")).to_be_visible()  # signed in, at home

    # Export: the archive downloads and holds the post.
    page.goto(f"{live_server}/settings/account")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download your archive").click()
    path = download.value.path()
    posts = json.loads(zipfile.ZipFile(io.BytesIO(path.read_bytes())).read("posts.json"))
    assert [post["text"] for post in posts] == ["a post worth keeping"]

    # Delete: the old password no longer works; the new one does; the account is gone.
    page.get_by_label("Your password").last.fill(PASSWORD)
    page.get_by_label("I understand this can't be undone").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.locator("#delete_password-error")).to_contain_text("isn't your current password")
    page.get_by_label("Your password").last.fill(NEW_PASSWORD)
    page.get_by_label("I understand this can't be undone").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_role("heading", name="Your account is deleted")).to_be_visible()
    gone = page.goto(f"{live_server}/@ada")
    assert gone is not None and gone.status == 404
    assert errors == []
    context.close()


def _log_in(page: Page, base: str, email: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator("#compose")).to_be_visible()


def test_report_then_the_admin_suspends_the_author(
    browser: Browser,  # noqa: F811
    live_server: str,
    session: Session,
):
    ada, bob, root = (make_user(session, name) for name in ("ada", "bob", "root"))
    root.is_admin = True
    session.commit()
    post = make_tweet(session, bob, "click here for free money")
    errors: list[str] = []
    contexts = [browser.new_context() for _ in range(3)]
    reporter, author, admin = (open_page(context, errors) for context in contexts)
    _log_in(author, live_server, bob.email)

    _log_in(reporter, live_server, ada.email)
    reporter.goto(f"{live_server}/t/{post.id}")
    reporter.get_by_role("link", name="Report this post").click()
    reporter.get_by_label("Spam or scam").check()
    reporter.get_by_label("Anything the admins should know").fill("a scam")
    reporter.get_by_role("button", name="Send report").click()
    expect(reporter.get_by_role("heading", level=1)).to_contain_text("with the admins")

    _log_in(admin, live_server, root.email)
    admin.get_by_role("navigation", name="Main").get_by_role("link", name="Admin").click()
    expect(admin.locator(".admin-row").first).to_contain_text("click here for free money")
    admin.get_by_role("button", name="Suspend @bob").click()
    expect(admin.get_by_role("heading", name="Suspended accounts")).to_be_visible()
    expect(admin.locator(".audit-log")).to_contain_text("suspend @bob")

    author.reload()  # bob's session is over: the top bar offers Log in again
    expect(author.locator("header").get_by_role("link", name="Log in")).to_be_visible()
    author.goto(f"{live_server}/login")
    author.get_by_label("Email").fill(bob.email)
    author.get_by_label("Password").fill(PASSWORD)
    author.get_by_role("button", name="Log in").click()
    expect(author.locator(".field-error")).to_contain_text("This account is suspended.")
    assert errors == []
    for context in contexts:
        context.close()
