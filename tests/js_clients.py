"""Run the JavaScript Mastodon clients (tests/node/*_suite.mjs) against a live server."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx

from tests.factories import PASSWORD, make_tweet, make_user
from tests.images import png
from webapp.db import SessionLocal

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


def bob_post(server: str) -> str:
    """bob's post as Mastodon content: its tag links absolute, under the server's address."""
    return (
        f'<p>bob writes about <a href="{server}/tags/jsclients" class="hashtag">#jsclients</a></p>'
    )


def run_session(script: str, live_server: str, image: Path) -> dict[str, Any]:
    """ada and bob (who posted about #jsclients) on a fresh database, then the suite as them.
    The test modules run it once and assert on the record: a run takes seconds."""
    with SessionLocal() as session:
        ada, bob = make_user(session, "ada"), make_user(session, "bob")
        make_tweet(session, bob, "bob writes about #jsclients")
    image.write_bytes(png())
    return run_suite(
        script,
        CHIRP_URL=live_server,
        ADA_TOKEN=password_token(live_server, ada.email),
        BOB_TOKEN=password_token(live_server, bob.email),
        IMAGE=str(image),
    )
