"""axe-core on every page, light and dark, desktop and phone: no serious or critical violation.

axe-core comes from npm (tests/node/package.json, installed by `make test`) and is evaluated
in each page as a person would see it: signed in or out, with likes, follows, links, tags.
"""

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from playwright.sync_api import Browser
from sqlalchemy.orm import Session

from tests.browser_helpers import (
    DESKTOP,
    PHONE,
    axe_violations,
    launch,
    open_page,
    signed_in_context,
)
from tests.factories import make_user
from webapp import crud
from webapp.crud import (
    blocks,
    edits,
    featured,
    filters,
    follow_requests,
    moderation,
    pins,
    polls,
    posting,
    saved,
    scheduled,
)

SIGNED_IN_PAGES = ["/", "/?feed=everyone", "/@ada", "/t/{tweet}", "/tags/Chirp", "/people"]
SIGNED_IN_PAGES += ["/settings", "/t/{tweet}/delete", "/no/such/page", "/settings/account"]
SIGNED_IN_PAGES += ["/@bob/report", "/t/{tweet}/report", "/admin", "/admin/log"]
SIGNED_IN_PAGES += ["/notifications", "/search?q=chirp", "/search?q=ada&tab=people", "/tags"]
SIGNED_IN_PAGES += ["/lists", "/settings/profile", "/@ada/replies", "/@ada/media"]
SIGNED_IN_PAGES += ["/@ada/followers", "/@ada/following", "/t/{tweet}/reply", "/t/{tweet}/quote"]
SIGNED_IN_PAGES += ["/t/{tweet}/edit", "/t/{tweet}/history"]  # issue 19
SIGNED_IN_PAGES += ["/settings/blocks", "/@bob", "/@cy", "/@dee"]
SIGNED_IN_PAGES += ["/settings/filters", "/settings/filters/{filter}"]  # issue 17
SIGNED_IN_PAGES += ["/follow_requests", "/messages", "/settings/featured_tags"]
SIGNED_IN_PAGES += ["/bookmarks", "/@ada/likes"]
SIGNED_IN_PAGES += ["/scheduled"]
SIGNED_OUT_PAGES = ["/", "/@bob", "/people", "/login", "/signup", "/t/{tweet}", "/nope"]
SIGNED_OUT_PAGES += ["/password/forgot", "/search?q=chirp", "/tags", "/t/{tweet}/history"]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


def seed(session: Session) -> int:
    """Two people, a follow, a like, and tweets with a link, a mention and a tag; an edited
    post and a poll (a voting form for ada, results for bob); a pinned post, a bookmark and a
    content warning."""
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.update_profile(
        session, user_id=ada.id, display_name="Ada", bio="Engines at https://example.org #Chirp"
    )
    moderation.grant_admin(session, username="ada")  # so the admin pages are checked too
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    hello = crud.create_tweet(
        session, owner_id=bob.id, text="Hello @ada, see https://htmx.org #Chirp"
    )
    warned = posting.options(spoiler_text="Film spoilers")
    crud.create_tweet(session, owner_id=bob.id, text="The ending", options=warned)
    saved.bookmark(session, user_id=ada.id, tweet_id=hello.id)
    mine = crud.create_tweet(session, owner_id=ada.id, text="My first #chirp post")
    crud.like(session, user_id=bob.id, tweet_id=mine.id)
    crud.like(session, user_id=ada.id, tweet_id=mine.id)
    edits.edit_post(session, tweet_id=mine.id, user_id=ada.id, text="My first #Chirp post")
    poll = polls.PollSpec(["Tea", "Coffee"], 3600)
    crud.create_tweet(session, owner_id=bob.id, text="Tea or coffee?", poll=poll)
    # someone blocked and someone muted, so /settings/blocks shows both lists (issue 17)
    blocks.block(session, blocker_id=ada.id, blocked_id=make_user(session, "cy").id)
    blocks.mute(session, muter_id=ada.id, muted_id=make_user(session, "dee").id, duration=3600)
    # A warn filter: home shows bob's post collapsed behind "Hidden by your filter".
    keyword = filters.KeywordChange("htmx")
    filters.create_filter(
        session, user_id=ada.id, title="Web", context=["home"], keywords=[keyword]
    )
    # Issue 19: ada approves followers (fay waits), has a direct message, features a tag.
    fay = make_user(session, "fay")
    follow_requests.set_locked(session, user_id=ada.id, locked=True)
    follow_requests.follow_or_request(session, follower_id=fay.id, followee_id=ada.id)
    crud.create_tweet(session, owner_id=bob.id, text="@ada a direct hello", visibility="direct")
    featured.feature_tag(session, user_id=ada.id, name="chirp")
    pins.pin(session, user_id=ada.id, tweet_id=mine.id)
    later = scheduled.Draft(text="Later, a poll", poll=polls.PollSpec(["Yes", "No"], 3600))
    when = datetime.now(UTC) + timedelta(days=1)
    scheduled.schedule(session, owner_id=ada.id, draft=later, scheduled_at=when)
    return mine.id


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_no_serious_axe_violation_on_any_page(
    browser: Browser, live_server: str, session: Session, scheme: str, viewport: dict[str, int]
) -> None:
    tweet = seed(session)
    ada = crud.get_user_by_username(session, "ada")
    options = {"viewport": viewport, "color_scheme": scheme}
    errors: list[str] = []
    found: dict[str, list[str]] = {}
    signed_in = open_page(signed_in_context(browser, session, live_server, ada, **options), errors)
    signed_out = open_page(browser.new_context(**options), errors)  # type: ignore[arg-type]
    for page, paths in ((signed_in, SIGNED_IN_PAGES), (signed_out, SIGNED_OUT_PAGES)):
        for path in paths:
            filter_id = filters.my_filters(session, user_id=ada.id)[0].row.id
            response = page.goto(live_server + path.format(tweet=tweet, filter=filter_id))
            expected = 404 if path in ("/no/such/page", "/nope") else 200
            assert response is not None and response.status == expected, path
            if violations := axe_violations(page):
                found[f"{'in' if page is signed_in else 'out'} {path}"] = violations
    assert not found, "\n".join(f"{where}: {v}" for where, vs in found.items() for v in vs)
    assert errors == []
