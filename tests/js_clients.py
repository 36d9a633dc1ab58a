"""Run the JavaScript Mastodon clients (tests/node/*_suite.mjs) against a live server."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx

from tests.factories import PASSWORD

SCOPES, OOB = "read write follow", "urn:ietf:wg:oauth:2.0:oob"
NODE_DIR = Path(__file__).resolve().parent / "node"


def password_token(live_server: str, email: str) -> str:
    """A token as a script gets one: register an app, then the password grant."""
    app = httpx.post(
        f"{live_server}/api/v1/apps",
        data={"client_name": "JS test", "redirect_uris": OOB, "scopes": SCOPES},
    ).json()
    grant = {"grant_type": "password", "username": email, "password": PASSWORD}
    grant |= {"client_id": app["client_id"], "client_secret": app["client_secret"]}
    grant["scope"] = SCOPES
    response = httpx.post(f"{live_server}/oauth/token", data=grant)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token


def run_suite(script: str, **env: str) -> dict[str, Any]:
    """Run one suite with node; its last line of output is the JSON record of every step."""
    result = subprocess.run(
        ["node", script],
        cwd=NODE_DIR,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    record: dict[str, Any] = json.loads(result.stdout.strip().splitlines()[-1])
    return record


def failures(record: dict[str, Any]) -> dict[str, str]:
    """The steps where the client raised: the first thing to read when a suite fails."""
    return {name: value["error"] for name, value in record.items() if _failed(value)}


def _failed(value: object) -> bool:
    return isinstance(value, dict) and "error" in value
