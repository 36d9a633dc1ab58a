"""The real `toot` CLI (PyPI) drives every main-screen feature it has a command for on a live
Chirp (issue 19): one session for the module, ada in one config and bob in another, each
command run as a person types it. Where a command prints instead of --json, the printing is
what is checked: toot parses the entities into its own classes first, so a field of the
wrong shape fails there. toot has no command for filters, markers or edits (its TUI edits)."""

from pathlib import Path
from typing import Any

import pytest

from tests import images
from tests.factories import make_tweet, make_user
from tests.js_clients import bob_post, failures
from tests.py_clients import Toot, run_steps
from webapp.db import SessionLocal


@pytest.fixture(scope="module")
def record(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    with SessionLocal() as session:
        bob, carol = (make_user(session, name) for name in ("bob", "carol"))
        make_user(session, "ada")
        make_tweet(session, carol, "carol is not followed")
        make_tweet(session, bob, "bob writes about #jsclients")
    home = tmp_path_factory.mktemp("toot")
    return TootSession(live_server, home).run()


class TootSession:
    """ada's session in toot; bob, in a config of his own, answers (a follow, a vote)."""

    def __init__(self, server: str, home: Path) -> None:
        self.server, self.home = server, home
        self.ada, self.bob = Toot(home / "ada"), Toot(home / "bob")
        self.seen: dict[str, Any] = {}

    def run(self) -> dict[str, Any]:
        return run_steps(
            {
                "login": self.login,
                "follow_by_name": self.follow_by_name,
                "lists": self.lists,
                "timelines": self.timelines,
                "old_timeline_command": self.old_timeline_command,
                "search": self.search,
                "reply": self.reply,
                "reblog_and_favourite": self.reblog_and_favourite,
                "notifications": self.notifications,
                "media": self.media,
                "bookmarks": self.bookmarks,
                "polls": self.polls,
                "lists_removal": self.lists_removal,
                "delete": self.delete,
            }
        )

    def login(self) -> dict[str, Any]:
        printed = self.ada.login(self.server, "ada@example.com")
        self.bob.login_cli(self.server, "bob@example.com")
        return {
            "printed": "Successfully logged in" in printed,
            "whoami": self.ada.json("whoami")["acct"],
            "bob": self.bob.json("whoami")["acct"],
        }

    def follow_by_name(self) -> dict[str, Any]:
        printed = self.ada("follow", "@bob")
        return {"printed": printed.strip(), "followers": self.ada.json("whois", "bob")}

    def lists(self) -> dict[str, Any]:
        self.ada("lists", "create", "Friends")
        added = self.ada("lists", "add", "Friends", "bob")
        return {
            "added": added.strip(),
            "titles": [li["title"] for li in self.ada.json("lists", "list")],
            "members": [a["acct"] for a in self.ada.json("lists", "accounts", "Friends")],
            "printed": self.ada("lists", "accounts", "Friends"),
        }

    def timelines(self) -> dict[str, Any]:
        def read(*args: str) -> list[str]:
            return [s["content"] for s in self.ada.json("timelines", *args, "--no-pager")]

        home = self.ada.json("timelines", "home", "--no-pager")
        self.seen["post"] = home[0]["id"]
        return {
            "home": [s["content"] for s in home],
            "public": read("public"),
            "local": read("public", "--local"),
            "tag": read("tag", "jsclients"),
            "list": read("list", "Friends"),
            "printed": self.ada("timelines", "home", "--no-pager", "--no-clear"),
        }

    def old_timeline_command(self) -> dict[str, str]:
        """`toot timeline` (deprecated, still shipped): --public, --local, --tag, --list."""
        return {
            "home": self.ada("timeline", "--once"),
            "public": self.ada("timeline", "--public", "--once"),
            "local": self.ada("timeline", "--public", "--local", "--once"),
            "tag": self.ada("timeline", "--tag", "jsclients", "--local", "--once"),
            "list": self.ada("timeline", "--list", "Friends", "--once"),
        }

    def search(self) -> dict[str, Any]:
        found = self.ada.json("search", "jsclients")
        return {
            "statuses": [s["content"] for s in found["statuses"]],
            "hashtags": [t["name"] for t in found["hashtags"]],
            "printed": self.ada("search", "bo"),
        }

    def reply(self) -> dict[str, Any]:
        post = self.seen["post"]
        reply = self.ada.json("post", "--reply-to", post, "@bob count me in")
        self.seen["reply"] = reply["id"]
        thread = self.bob.json("thread", post)
        return {
            "to": reply["in_reply_to_id"] == post,
            "mentions": [m["acct"] for m in reply["mentions"]],
            "descendants": [s["id"] == reply["id"] for s in thread["descendants"]],
            "printed": self.bob("thread", post),
        }

    def reblog_and_favourite(self) -> dict[str, Any]:
        post = self.seen["post"]
        reblog = self.ada.json("reblog", post)
        liked = self.ada.json("favourite", post)
        return {
            "reblogged": (reblog["reblogged"], reblog["reblog"]["reblogs_count"]),
            "by": self.ada("reblogged-by", post),
            "favourited": (liked["favourited"], liked["favourites_count"]),
            "favourites": [s["id"] == post for s in self.ada.json("timelines", "favourites")],
            "status": self.ada("status", post),
        }

    def notifications(self) -> dict[str, Any]:
        reply = self.seen["reply"]
        self.bob("follow", "ada")
        self.bob("favourite", reply)
        self.bob("post", "--reply-to", reply, "@ada see you there")
        seen = self.ada.json("notifications")
        mentions = self.ada.json("notifications", "--type", "mention")
        return {
            "seen": [(n["type"], n["account"]["acct"]) for n in seen],
            "mentions": [n["status"]["in_reply_to_id"] == reply for n in mentions],
            "printed": self.ada("notifications"),
        }

    def media(self) -> dict[str, Any]:
        picture = self.home / "square.png"
        picture.write_bytes(images.png())
        posted = self.ada.json("post", "a picture", "--media", str(picture), "-d", "teal")
        uploaded = self.ada.json("upload", str(picture), "--description", "alone")
        return {
            "attached": [(m["type"], m["description"]) for m in posted["media_attachments"]],
            "uploaded": (uploaded["type"], uploaded["description"]),
            "printed": self.ada("status", posted["id"]),
        }

    def bookmarks(self) -> dict[str, Any]:
        post = self.seen["post"]
        marked = self.ada("bookmark", post)
        listed = self.ada("bookmarks", "--once")
        self.ada("unbookmark", post)
        return {
            "marked": marked.strip(),
            "listed": listed,
            "after": self.ada("bookmarks", "--once"),
        }

    def polls(self) -> dict[str, Any]:
        options = ("--poll-option", "tea", "--poll-option", "coffee", "--poll-multiple")
        posted = self.ada.json("post", "What do you drink?", *options)
        poll = posted["poll"]["id"]
        voted = self.bob.json("polls", "vote", poll, "0", "1")
        return {
            "options": [o["title"] for o in posted["poll"]["options"]],
            "voted": (voted["voted"], voted["own_votes"], voted["votes_count"]),
            "seen": self.ada.json("polls", "show", poll)["options"],
            "printed": self.ada("polls", "show", poll),
        }

    def lists_removal(self) -> dict[str, Any]:
        removed = self.ada("lists", "remove", "Friends", "bob")
        members = self.ada.json("lists", "accounts", "Friends")
        deleted = self.ada("lists", "delete", "Friends")
        return {
            "removed": removed.strip(),
            "members": members,
            "deleted": deleted.strip(),
            "after": self.ada.json("lists", "list"),
        }

    def delete(self) -> dict[str, Any]:
        posted = self.ada.json("post", "soon gone")
        return {"printed": self.ada("delete", posted["id"]).strip()}


def _shows(printed: str) -> list[str]:
    """The posts a printed timeline shows, as its author lines: "@bob", "@carol"."""
    return [line.split()[0] for line in printed.splitlines() if line.endswith(" UTC")]


def test_every_command_ran(record: dict[str, Any]):
    assert failures(record) == {}


def test_login_in_the_browser_and_follow_by_name(record: dict[str, Any]):
    assert record["login"] == {"printed": True, "whoami": "ada", "bob": "bob"}
    follow = record["follow_by_name"]
    assert follow["printed"] == "✓ You are now following @bob"
    assert (follow["followers"]["acct"], follow["followers"]["followers_count"]) == ("bob", 1)


def test_every_timeline_and_lists(record: dict[str, Any], live_server: str):
    post, carol = bob_post(live_server), "<p>carol is not followed</p>"
    lists = record["lists"]
    assert (lists["added"], lists["titles"], lists["members"]) == (
        '✓ Added account "bob"',
        ["Friends"],
        ["bob"],
    )
    assert "* @bob" in lists["printed"]
    shown = record["timelines"]
    assert {name: shown[name] for name in ("home", "public", "local", "tag", "list")} == {
        "home": [post],
        "public": [post, carol],
        "local": [post, carol],
        "tag": [post],
        "list": [post],
    }
    assert _shows(shown["printed"]) == ["@bob"]
    assert "bob writes about #jsclients" in shown["printed"]
    old = {name: _shows(printed) for name, printed in record["old_timeline_command"].items()}
    assert old == {
        "home": ["@bob"],
        "public": ["@bob", "@carol"],
        "local": ["@bob", "@carol"],
        "tag": ["@bob"],
        "list": ["@bob"],
    }
    removal = record["lists_removal"]
    assert removal == {
        "removed": '✓ Removed account "bob"',
        "members": [],
        "deleted": '✓ List "Friends" deleted.',
        "after": [],
    }


def test_search(record: dict[str, Any], live_server: str):
    found = record["search"]
    assert (found["statuses"], found["hashtags"]) == ([bob_post(live_server)], ["jsclients"])
    assert "Accounts:\n* @bob" in found["printed"]


def test_reply_reblog_and_favourite(record: dict[str, Any]):
    reply = record["reply"]
    assert (reply["to"], reply["mentions"], reply["descendants"]) == (True, ["bob"], [True])
    assert _shows(reply["printed"]) == ["@bob", "@ada"]
    assert "@bob count me in" in reply["printed"] and "In reply to" in reply["printed"]
    acts = record["reblog_and_favourite"]
    assert (acts["reblogged"], acts["favourited"], acts["favourites"]) == (
        (True, 1),
        (True, 1),
        [True],
    )
    assert acts["by"].splitlines()[-1].split() == ["ada"]
    assert "bob writes about #jsclients" in acts["status"]
    assert record["delete"] == {"printed": "✓ Status deleted"}


def test_notifications(record: dict[str, Any]):
    seen = record["notifications"]
    assert seen["seen"] == [("mention", "bob"), ("favourite", "bob"), ("follow", "bob")]
    assert seen["mentions"] == [True]
    said = [line for line in seen["printed"].splitlines() if line.endswith(("you", "status"))]
    assert said == ["@bob mentioned you", "@bob favourited your status", "@bob now follows you"]


def test_media(record: dict[str, Any], live_server: str):
    media = record["media"]
    assert (media["attached"], media["uploaded"]) == ([("image", "teal")], ("image", "alone"))
    assert f"Media:\n{live_server}/media/" in media["printed"]


def test_bookmarks(record: dict[str, Any]):
    marks = record["bookmarks"]
    assert marks["marked"] == "✓ Status bookmarked"
    assert _shows(marks["listed"]) == ["@bob"] and _shows(marks["after"]) == []


def test_polls(record: dict[str, Any]):
    polls = record["polls"]
    assert polls["options"] == ["tea", "coffee"]
    assert polls["voted"] == (True, [0, 1], 2)
    assert polls["seen"] == [
        {"title": "tea", "votes_count": 1},
        {"title": "coffee", "votes_count": 1},
    ]
    assert "50% (1)" in polls["printed"] and "2 votes" in polls["printed"]
