"""Drive the Python Mastodon clients from PyPI (Mastodon.py and the `toot` CLI) through a whole
session on a live server: the steps run once per test module and leave a record to assert on."""

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx
from bs4 import BeautifulSoup

from tests.factories import PASSWORD
from tests.mastodon_helpers import submit_consent

Step = Callable[[], Any]


def run_steps(steps: dict[str, Step]) -> dict[str, Any]:
    """Run the steps in order; each leaves what it saw, or {"error": ...} where the client
    raised, so one broken feature does not hide the others (read with js_clients.failures)."""
    record: dict[str, Any] = {}
    for name, step in steps.items():
        try:
            record[name] = step()
        except Exception as error:  # the record says which step broke, and how
            record[name] = {"error": f"{type(error).__name__}: {error}"}
    return record


def oob_code(server: str, authorize_url: str, email: str) -> str:
    """Sign in on the consent page an app opens and read the code it shows to paste."""
    with httpx.Client(base_url=server) as browser:
        page = browser.get(authorize_url, follow_redirects=True)
        assert page.status_code == 200, page.text
        shown = submit_consent(browser, page, email=email, password=PASSWORD, decision="authorize")
    assert shown.status_code == 200, shown.text
    code = BeautifulSoup(shown.text, "html.parser").find("output", id="code")
    assert code is not None, shown.text
    return code.get_text(strip=True)


class Toot:
    """The real `toot` CLI, run as one person: a config and cache directory of its own."""

    def __init__(self, home: Path) -> None:
        self.env = {
            **os.environ,
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "NO_COLOR": "1",
            "COLUMNS": "200",
            "PYTHONUNBUFFERED": "1",
        }

    def __call__(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "toot", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        return result.stdout

    def json(self, *args: str) -> Any:
        return json.loads(self(*args, "--json"))

    def login_cli(self, server: str, email: str) -> str:
        return self("login_cli", "--instance", server, "--email", email, "--password", PASSWORD)

    def login(self, server: str, email: str) -> str:
        """`toot login`, the way its help recommends: it prints a URL, the person signs in
        there and pastes back the code the page shows."""
        process = subprocess.Popen(
            [sys.executable, "-m", "toot", "login", "--instance", server],
            env=self.env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        assert process.stdout is not None
        printed = ""
        while not (url := _authorize_url(printed, server)):
            line = process.stdout.readline()
            assert line, printed  # it stopped before printing the URL
            printed += line
        out, _ = process.communicate(f"n\n{oob_code(server, url, email)}\n", timeout=60)
        assert process.returncode == 0, printed + out
        return printed + out


def _authorize_url(printed: str, server: str) -> str | None:
    lines = [line for line in printed.splitlines() if line.startswith(f"{server}/oauth/")]
    return lines[0] if lines else None
