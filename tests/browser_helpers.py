"""Shared pieces of the Chromium tests: the browser, the CSP the app sends, a signed-in context.

Debian's chromium (installed by .ci/run) drives the real app over a live uvicorn. A missing
browser fails the tests: they never skip.
"""

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    Route,
    ViewportSize,
    sync_playwright,
)
from playwright.sync_api import (
    Error as PlaywrightError,
)
from sqlalchemy.orm import Session

from webapp import crud, sessions
from webapp.config import ROOT
from webapp.models import User

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "docs" / "screenshots"
AXE = ROOT / "tests" / "node" / "node_modules" / "axe-core" / "axe.min.js"
# The policy the app is meant to send; added here too, so the tests prove the pages need
# no inline script or style (a violation is a console error, which fails the test).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "form-action 'self'; frame-ancestors 'none'"
)
PHONE: ViewportSize = {"width": 390, "height": 844}
DESKTOP: ViewportSize = {"width": 1280, "height": 800}


def launch() -> Iterator[Browser]:
    assert CHROMIUM.exists(), "Debian's chromium is missing: apt-get install chromium"
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium's sandbox cannot start.
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=["--no-sandbox"])
        yield browser
        browser.close()


def with_csp(route: Route) -> None:
    try:
        response = route.fetch(max_redirects=0)  # the browser follows redirects itself
        headers = {**response.headers, "content-security-policy": CSP}
        route.fulfill(response=response, headers=headers)
    except PlaywrightError:
        # The test closed its page or context while this request (a favicon, say) was in
        # flight: nobody is left to answer. A request a test needs fails it on its own.
        return


def record_console(message: ConsoleMessage, errors: list[str]) -> None:
    # A 422 on purpose (the empty tweet) logs "Failed to load resource"; script errors matter.
    if message.type == "error" and not message.text.startswith("Failed to load resource"):
        errors.append(message.text)


def open_page(context: BrowserContext, errors: list[str]) -> Page:
    # Event streams never end, so they cannot be fetched whole and re-served: only pages and
    # their assets get the test's CSP (the app sends the same policy on everything anyway).
    context.route(lambda url: "/events/" not in url, with_csp)
    page = context.new_page()
    page.set_default_timeout(10_000)
    page.on("console", lambda message: record_console(message, errors))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page


def signed_in_context(
    browser: Browser, session: Session, base: str, user: User, **options: Any
) -> BrowserContext:
    """A browser context already holding `user`'s session cookie (no login form round trip)."""
    token = crud.create_token(
        session, user_id=user.id, kind=sessions.KIND, max_age=timedelta(days=1)
    )
    context = browser.new_context(**options)
    host = urlsplit(base).hostname or "127.0.0.1"
    cookie = {"name": sessions.COOKIE, "value": sessions.sign(token), "domain": host, "path": "/"}
    context.add_cookies([cookie])  # type: ignore[list-item]
    return context


def axe_violations(page: Page) -> list[str]:
    """Serious and critical axe-core violations on the page, one line each."""
    if not page.evaluate("typeof axe !== 'undefined'"):
        # evaluate, not a <script> tag: the page's CSP refuses inline scripts, rightly.
        page.evaluate(AXE.read_text() + "\n;undefined")
    found = page.evaluate(
        """async () => {
          const result = await axe.run(document, {resultTypes: ["violations"]});
          return result.violations
            .filter(v => v.impact === "serious" || v.impact === "critical")
            .map(v => `${v.id} (${v.impact}): ` +
                      v.nodes.map(n => n.target.join(" ") + " " + n.failureSummary).join(" | "));
        }"""
    )
    return list(found)
