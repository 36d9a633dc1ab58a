"""An account's life in a real Chromium: forgot password through a real mail, download the
archive, delete the account. Same browser set-up as test_browser.py (strict CSP, console
errors fail the test)."""

import io
import json
import zipfile

from playwright.sync_api import Browser, expect
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
