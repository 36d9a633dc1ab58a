"""The block story in a real Chromium (issue 17), with JavaScript and without it: bob blocks
alice from her profile with one click; her posts disappear from his pages, he sees
"You blocked @alice" with Unblock, and she can no longer open his posts."""

import pytest
from playwright.sync_api import Browser, expect
from sqlalchemy.orm import Session

from tests.browser_helpers import open_page, signed_in_context
from tests.factories import make_tweet, make_user
from tests.test_browser import browser  # noqa: F401  (the module's browser fixture)
from webapp import crud


@pytest.mark.parametrize("js", [True, False], ids=["javascript", "no-javascript"])
def test_bob_blocks_alice_from_her_profile(
    browser: Browser,  # noqa: F811
    live_server: str,
    session: Session,
    js: bool,
) -> None:
    alice, bob = make_user(session, "alice"), make_user(session, "bob")
    crud.follow(session, follower_id=bob.id, followee_id=alice.id)
    crud.follow(session, follower_id=alice.id, followee_id=bob.id)
    make_tweet(session, alice, "alice on #gardening")
    bobs = make_tweet(session, bob, "bob on #gardening")
    errors: list[str] = []
    page = open_page(
        signed_in_context(browser, session, live_server, bob, java_script_enabled=js), errors
    )
    page.goto(live_server)
    expect(page.get_by_text("alice on #gardening")).to_be_visible()

    page.goto(f"{live_server}/@alice")
    expect(page.get_by_text("alice on #gardening")).to_be_visible()
    page.get_by_role("button", name="Block @alice").click()
    expect(page.get_by_text("You blocked @alice.").first).to_be_visible()
    expect(page.get_by_role("button", name="Unblock @alice")).to_be_visible()
    expect(page.get_by_text("alice on #gardening")).to_have_count(0)  # gone in place too
    expect(page.get_by_role("button", name="Following @alice")).to_have_count(0)

    for path in ["/", "/?feed=everyone", "/tags/gardening", "/search?q=gardening"]:
        page.goto(live_server + path)
        expect(page.get_by_text("bob on #gardening")).to_be_visible()
        expect(page.get_by_text("alice on #gardening")).to_have_count(0)
    page.goto(f"{live_server}/settings/blocks")
    expect(page.locator(".blocked-list")).to_contain_text("@alice")

    other = open_page(
        signed_in_context(browser, session, live_server, alice, java_script_enabled=js), errors
    )
    response = other.goto(f"{live_server}/t/{bobs.id}")
    assert response is not None and response.status == 404
    other.goto(f"{live_server}/@bob")
    expect(other.get_by_text("bob on #gardening")).to_have_count(0)
    assert errors == []
