"""Scheduling in a real Chromium: the time a person picks is their own local time (app.js
sends the browser's offset for that date and names the zone), and without JavaScript it is
UTC, as the page then says."""

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.browser_helpers import launch, open_page, signed_in_context
from tests.factories import make_user
from webapp.crud import scheduled
from webapp.models import ScheduledStatus

KOLKATA = "Asia/Kolkata"  # UTC+05:30 all year: no daylight saving to make the test flaky


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


def _times(session: Session) -> list[datetime]:
    session.expire_all()
    query = select(ScheduledStatus.scheduled_at).order_by(ScheduledStatus.id)
    return [scheduled.aware(t) for t in session.scalars(query)]


def _schedule(page: Page, text: str, local: str) -> None:
    page.get_by_label("What's happening?").fill(text)
    page.get_by_text("Schedule for later").click()
    page.get_by_label("Post it at").fill(local)
    page.get_by_role("button", name="Post", exact=True).click()


def test_with_javascript_the_time_is_the_persons_own_zone(
    browser: Browser, live_server: str, session: Session
):
    ada = make_user(session)
    context = signed_in_context(browser, session, live_server, ada, timezone_id=KOLKATA)
    errors: list[str] = []
    page = open_page(context, errors)
    page.goto(live_server + "/")
    zone = re.compile(r"your time zone \(Asia/(Kolkata|Calcutta), UTC\+05:30\)")  # ICU's name
    expect(page.locator("[data-zone-label]")).to_contain_text(zone)
    at = (datetime.now(UTC) + timedelta(days=1)).replace(second=0, microsecond=0)
    local = at.astimezone(ZoneInfo(KOLKATA)).strftime("%Y-%m-%dT%H:%M")
    _schedule(page, "namaste, later", local)
    expect(page.locator(".compose-notice")).to_contain_text("(UTC+05:30)")  # htmx, in place
    assert _times(session) == [at]

    page.goto(live_server + "/scheduled")
    field = page.get_by_label("New time")
    expect(field).to_have_value(local)  # shown in local time, not the stored UTC
    later = at + timedelta(hours=3)
    field.fill(later.astimezone(ZoneInfo(KOLKATA)).strftime("%Y-%m-%dT%H:%M"))
    page.get_by_role("button", name="Change time").click()
    expect(page.locator("#flash")).to_contain_text("Moved to")
    assert _times(session) == [later]
    assert errors == []
    context.close()


def test_without_javascript_the_time_is_utc_and_the_page_says_so(
    browser: Browser, live_server: str, session: Session
):
    ada = make_user(session)
    context = signed_in_context(
        browser, session, live_server, ada, timezone_id=KOLKATA, java_script_enabled=False
    )
    page = open_page(context, [])
    page.goto(live_server + "/")
    expect(page.locator("[data-zone-label]")).to_have_text("Times are in UTC.")
    at = (datetime.now(UTC) + timedelta(days=1)).replace(second=0, microsecond=0)
    _schedule(page, "plain form, later", at.strftime("%Y-%m-%dT%H:%M"))
    expect(page).to_have_url(live_server + "/scheduled")
    expect(page.locator("#flash")).to_contain_text("(UTC)")
    assert _times(session) == [at]
    context.close()


def test_a_browser_in_utc_is_told_utc_once(browser: Browser, live_server: str, session: Session):
    ada = make_user(session)
    context = signed_in_context(browser, session, live_server, ada, timezone_id="UTC")
    errors: list[str] = []
    page = open_page(context, errors)
    page.goto(live_server + "/scheduled")
    label = page.locator("[data-zone-label]")
    expect(label).to_have_text("Times are in your time zone (UTC).")  # not "(UTC, UTC)"
    assert errors == []
    context.close()
