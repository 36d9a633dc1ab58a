"""Mastodon.py, the Python client most bots and several apps are built on, drives every feature
of a Mastodon app's main screens on a live Chirp (issue 19): one session for the module, as ada
with bob beside her, then each test reads what the client showed."""

from typing import Any

import httpx
import pytest
from mastodon import Mastodon

from tests import images
from tests.factories import make_tweet, make_user
from tests.js_clients import bob_post, failures
from tests.mastodon_helpers import mastodon_py
from tests.py_clients import run_steps
from webapp.db import SessionLocal


@pytest.fixture(scope="module")
def record(live_server: str) -> dict[str, Any]:
    with SessionLocal() as session:
        ada, bob, carol = (make_user(session, name) for name in ("ada", "bob", "carol"))
        make_tweet(session, carol, "carol is not followed")
        make_tweet(session, bob, "bob writes about #jsclients")
    ada_api, bob_api = mastodon_py(live_server, ada.email), mastodon_py(live_server, bob.email)
    return MastodonPySession(ada_api, bob_api).run()


class MastodonPySession:
    """ada's session; bob answers where a feature needs someone else (a vote, a mention)."""

    def __init__(self, ada: Mastodon, bob: Mastodon) -> None:
        self.ada, self.bob = ada, bob
        self.seen: dict[str, Any] = {}

    def run(self) -> dict[str, Any]:
        return run_steps(
            {
                "login": self.login,
                "follow_by_name": self.follow_by_name,
                "lists": self.lists,
                "timelines": self.timelines,
                "search": self.search,
                "reply": self.reply,
                "reblog": self.reblog,
                "notifications": self.notifications,
                "markers": self.markers,
                "media": self.media,
                "bookmarks": self.bookmarks,
                "filters": self.filters,
                "edits": self.edits,
                "polls": self.polls,
            }
        )

    def login(self) -> dict[str, Any]:
        me = self.ada.account_verify_credentials()
        return {"acct": me.acct, "created_at": type(me.created_at).__name__}

    def follow_by_name(self) -> dict[str, Any]:
        found = self.ada.search_v2("@bob", result_type="accounts").accounts
        bob = self.ada.account_lookup("bob")
        relationship = self.ada.account_follow(bob)
        self.seen["bob"] = bob
        return {
            "searched": [a.acct for a in found],
            "following": relationship.following,
            "followers_count": self.ada.account(bob).followers_count,
        }

    def lists(self) -> dict[str, Any]:
        friends = self.ada.list_create("Friends")
        self.ada.list_accounts_add(friends, [self.seen["bob"]])
        self.seen["list"] = friends
        return {
            "titles": [li.title for li in self.ada.lists()],
            "members": [a.acct for a in self.ada.list_accounts(friends)],
            "bob_in": [li.title for li in self.ada.account_lists(self.seen["bob"])],
        }

    def timelines(self) -> dict[str, list[str]]:
        home = self.ada.timeline_home()
        self.seen["bob_post"] = home[0]
        return {
            "home": [s.content for s in home],
            "public": [s.content for s in self.ada.timeline_public()],
            "local": [s.content for s in self.ada.timeline_local()],
            "tag": [s.content for s in self.ada.timeline_hashtag("jsclients")],
            "list": [s.content for s in self.ada.timeline_list(self.seen["list"])],
        }

    def search(self) -> dict[str, list[str]]:
        found = self.ada.search_v2("jsclients")
        return {
            "statuses": [s.content for s in found.statuses],
            "hashtags": [t.name for t in found.hashtags],
            "accounts": [a.acct for a in self.ada.search_v2("bo").accounts],
        }

    def reply(self) -> dict[str, Any]:
        reply = self.ada.status_reply(self.seen["bob_post"], "count me in")
        self.seen["reply"] = reply
        context = self.bob.status_context(self.seen["bob_post"])
        return {
            "content": reply.content,
            "to": (reply.in_reply_to_id, reply.in_reply_to_account_id),
            "mentions": [m.acct for m in reply.mentions],
            "descendants": [s.id for s in context.descendants],
        }

    def reblog(self) -> dict[str, Any]:
        reblog = self.ada.status_reblog(self.seen["bob_post"])
        shown = self.ada.account_statuses(self.ada.me(), limit=1)[0]
        return {
            "reblogged": reblog.reblogged,
            "of": reblog.reblog.id,
            "count": reblog.reblog.reblogs_count,
            "by": [a.acct for a in self.ada.status_reblogged_by(self.seen["bob_post"])],
            "profile_top": (shown.reblog.id, shown.content),
        }

    def notifications(self) -> dict[str, Any]:
        self.bob.account_follow(self.ada.me())
        self.bob.status_favourite(self.seen["reply"])
        self.bob.status_reply(self.seen["reply"], "see you there")
        got = self.ada.notifications()
        self.seen["notifications"] = got
        mentions = self.ada.notifications(types=["mention"])
        return {
            "seen": [(n.type, n.account.acct) for n in got],
            "of_reply": [n.status.id == self.seen["reply"].id for n in got if n.type != "follow"],
            "mentions": [n.status.content for n in mentions],
            "created_at": type(got[0].created_at).__name__,
            "unread": self.ada.notifications_unread_count().count,
        }

    def markers(self) -> dict[str, Any]:
        top = self.seen["notifications"][0].id
        home = self.ada.timeline_home(limit=1)[0].id
        self.ada.markers_set(["home", "notifications"], [home, top])
        markers = self.ada.markers_get(["home", "notifications"])
        return {
            "home": markers.home.last_read_id == home,
            "notifications": markers.notifications.last_read_id == top,
            "updated_at": type(markers.home.updated_at).__name__,
            "unread": self.ada.notifications_unread_count().count,
        }

    def media(self) -> dict[str, Any]:
        upload = self.ada.media_post(images.png(), mime_type="image/png", description="teal")
        status = self.ada.status_post("a picture", media_ids=[upload])
        [attached] = self.ada.status(status).media_attachments
        return {
            "type": attached.type,
            "description": attached.description,
            "size": (attached.meta.original.width, attached.meta.original.height),
            "url": httpx.get(attached.url).status_code,
            "preview": httpx.get(attached.preview_url).status_code,
            "only_media": [s.id for s in self.ada.account_statuses(self.ada.me(), only_media=True)]
            == [status.id],
        }

    def bookmarks(self) -> dict[str, Any]:
        post = self.seen["bob_post"]
        marked = self.ada.status_bookmark(post)
        listed = [s.id for s in self.ada.bookmarks()]
        unmarked = self.ada.status_unbookmark(post)
        return {
            "bookmarked": (marked.bookmarked, unmarked.bookmarked),
            "listed": listed == [post.id],
            "after": self.ada.bookmarks(),
        }

    def filters(self) -> dict[str, Any]:
        made = self.ada.create_filter_v2(
            "Spoilers", ["home", "public"], "warn", keywords_attributes=[{"keyword": "ending"}]
        )
        self.bob.status_post("the ending was a surprise")
        [top] = self.ada.timeline_home(limit=1)
        shown = [(r.filter.title, r.keyword_matches) for r in top.filtered]
        listed = [(f.title, [k.keyword for k in f.keywords]) for f in self.ada.filters_v2()]
        hidden = self.ada.update_filter_v2(made, filter_action="hide")
        self.ada.delete_filter_v2(made)
        return {
            "listed": listed,
            "made": (made.title, made.context, made.filter_action),
            "shown": shown,
            "hidden": hidden.filter_action,
            "after_delete": self.ada.filters_v2(),
        }

    def edits(self) -> dict[str, Any]:
        status = self.ada.status_post("first draft", spoiler_text="drafts")
        edited = self.ada.status_update(status, "second draft", spoiler_text="drafts")
        warned = self.ada.status_update(status, "second draft", spoiler_text="final")
        source = self.ada.status_source(status)
        return {
            "content": (edited.content, edited.spoiler_text),
            "edited_at": type(edited.edited_at).__name__,
            "history": [(h.content, h.spoiler_text) for h in self.ada.status_history(status)],
            "source": (source.text, source.spoiler_text, self.ada.status(status).content),
            "new_warning": (warned.content, warned.spoiler_text, warned.sensitive),
        }

    def polls(self) -> dict[str, Any]:
        poll = self.ada.make_poll(["tea", "coffee"], expires_in=3600, multiple=True)
        status = self.ada.status_post("What do you drink?", poll=poll)
        voted = self.bob.poll_vote(status.poll, [0, 1])
        seen = self.ada.poll(status.poll)
        return {
            "options": [(o.title, o.votes_count) for o in seen.options],
            "counts": (seen.votes_count, seen.voters_count, seen.multiple),
            "bob": (voted.voted, voted.own_votes),
            "ada_voted": seen.voted,
            "expires_at": type(seen.expires_at).__name__,
        }


def test_every_step_ran_without_the_client_raising(record: dict[str, Any]):
    assert failures(record) == {}


def test_login_and_follow_by_name(record: dict[str, Any]):
    assert record["login"] == {"acct": "ada", "created_at": "datetime"}
    follow = record["follow_by_name"]
    assert follow == {"searched": ["bob"], "following": True, "followers_count": 1}


def test_every_timeline_and_a_list(record: dict[str, Any], live_server: str):
    post, carol = bob_post(live_server), "<p>carol is not followed</p>"
    assert record["lists"] == {"titles": ["Friends"], "members": ["bob"], "bob_in": ["Friends"]}
    assert record["timelines"] == {
        "home": [post],
        "public": [post, carol],
        "local": [post, carol],
        "tag": [post],
        "list": [post],
    }


def test_search_finds_posts_tags_and_people(record: dict[str, Any], live_server: str):
    assert record["search"] == {
        "statuses": [bob_post(live_server)],
        "hashtags": ["jsclients"],
        "accounts": ["bob"],
    }


def test_reply_and_reblog(record: dict[str, Any], live_server: str):
    reply = record["reply"]
    mention = f'<a href="{live_server}/@bob" class="mention">@bob</a>'
    assert reply["content"] == f"<p>{mention} count me in</p>"
    post_id = record["reblog"]["of"]
    assert reply["to"][0] == post_id and reply["mentions"] == ["bob"]
    assert len(reply["descendants"]) == 1
    reblog = record["reblog"]
    assert (reblog["reblogged"], reblog["count"], reblog["by"]) == (True, 1, ["ada"])
    assert reblog["profile_top"] == (post_id, "")


def test_notifications_and_markers(record: dict[str, Any]):
    seen = record["notifications"]
    assert seen["seen"] == [("mention", "bob"), ("favourite", "bob"), ("follow", "bob")]
    assert seen["of_reply"] == [False, True]  # the mention is bob's own reply
    assert len(seen["mentions"]) == 1 and "see you there" in seen["mentions"][0]
    assert (seen["created_at"], seen["unread"]) == ("datetime", 3)
    assert record["markers"] == {
        "home": True,
        "notifications": True,
        "updated_at": "datetime",
        "unread": 0,
    }


def test_media(record: dict[str, Any]):
    assert record["media"] == {
        "type": "image",
        "description": "teal",
        "size": (300, 300),
        "url": 200,
        "preview": 200,
        "only_media": True,
    }


def test_bookmarks(record: dict[str, Any]):
    assert record["bookmarks"] == {"bookmarked": (True, False), "listed": True, "after": []}


def test_filters_v2(record: dict[str, Any]):
    assert record["filters"] == {
        "listed": [("Spoilers", ["ending"])],
        "made": ("Spoilers", ["home", "public"], "warn"),
        "shown": [("Spoilers", ["ending"])],
        "hidden": "hide",
        "after_delete": [],
    }


def test_edits(record: dict[str, Any]):
    assert record["edits"] == {
        "content": ("<p>second draft</p>", "drafts"),
        "edited_at": "datetime",
        "history": [
            ("<p>first draft</p>", "drafts"),
            ("<p>second draft</p>", "drafts"),
            ("<p>second draft</p>", "final"),
        ],
        "source": ("second draft", "final", "<p>second draft</p>"),
        "new_warning": ("<p>second draft</p>", "final", True),
    }


def test_polls(record: dict[str, Any]):
    assert record["polls"] == {
        "options": [("tea", 1), ("coffee", 1)],
        "counts": (2, 1, True),
        "bob": (True, [0, 1]),
        "ada_voted": True,
        "expires_at": "datetime",
    }
