"""Run the JavaScript Mastodon clients (tests/node/*_suite.mjs) against a live server."""

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_tweet, make_user
from tests.images import png
from webapp import crud
from webapp.crud.polls import PollSpec
from webapp.db import SessionLocal
from webapp.models import Poll, User, utcnow

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


def tagged(server: str, text: str, tag: str) -> str:
    """A post of `text` then #tag as Mastodon content: the tag link absolute, under the
    server's address."""
    return f'<p>{text} <a href="{server}/tags/{tag}" class="hashtag">#{tag}</a></p>'


def bob_post(server: str) -> str:
    """bob's post as Mastodon content."""
    return tagged(server, "bob writes about", "jsclients")


def expired_poll(session: Session, owner: User) -> int:
    """An unlisted post whose poll has ended (no client can make one: a poll lasts 5 minutes
    at least), kept off the public timelines the suites count."""
    spec = PollSpec(["yes", "no"], expires_in=300)
    tweet = crud.create_tweet(
        session, owner_id=owner.id, text="too late?", visibility="unlisted", poll=spec
    )
    session.execute(update(Poll).where(Poll.tweet_id == tweet.id).values(expires_at=utcnow()))
    session.commit()
    return tweet.id


def run_session(script: str, live_server: str, image: Path) -> dict[str, Any]:
    """ada and bob (who posted about #jsclients) on a fresh database, and cy, whose account
    the suite locks and who has an ended poll; then the suite as them. The test modules run
    it once and assert on the record: a run takes seconds."""
    with SessionLocal() as session:
        ada, bob, cy = (
            make_user(session, "ada"),
            make_user(session, "bob"),
            make_user(session, "cy"),
        )
        make_tweet(session, bob, "bob writes about #jsclients")
        poll_id = expired_poll(session, cy)
    image.write_bytes(png())
    return run_suite(
        script,
        CHIRP_URL=live_server,
        ADA_TOKEN=password_token(live_server, ada.email),
        BOB_TOKEN=password_token(live_server, bob.email),
        CY_TOKEN=password_token(live_server, cy.email),
        IMAGE=str(image),
        EXPIRED_POLL=str(poll_id),
    )
