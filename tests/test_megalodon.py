"""megalodon, the client behind several desktop Fediverse apps, drives a whole session on a
live Chirp (tests/node/megalodon_suite.mjs); it finds out what server this is from NodeInfo."""

from typing import Any

import pytest

from tests.js_clients import bob_post, failures, run_session, tagged


@pytest.fixture(scope="module")
def record(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run of the suite for the module (the tests read its record, not the database)."""
    return run_session(
        "megalodon_suite.mjs", live_server, tmp_path_factory.mktemp("js") / "square.png"
    )


def test_megalodon_sees_a_mastodon_and_follows_by_name(record: dict[str, Any], live_server: str):
    assert failures(record) == {}
    assert record["detect"] == "mastodon"  # from NodeInfo's metadata.upstream
    assert record["verify"]["acct"] == "ada"
    follow = record["follow_by_name"]
    assert (follow["searched"], follow["looked_up"]) == (["bob"], "bob")
    assert follow["following"] and follow["relationship_following"]
    assert record["timelines"] == {
        "home": [bob_post(live_server)],
        "public": [bob_post(live_server)],
        "tag": [bob_post(live_server)],
    }


def test_megalodon_posts_replies_reblogs_likes_and_deletes(record: dict[str, Any]):
    acts = record["post_reply_reblog_favourite"]
    assert acts["mine"]["tags"] == ["megalodon"]
    assert acts["descendants"] == [acts["reply_id"]]
    assert (acts["reblogged"], acts["reblogs_count"]) == (True, 1)
    assert (acts["favourited"], acts["favourites_count"]) == (True, 1)
    assert record["delete"] == {"fetched_after": 404}
    assert record["undo"] == {"reblogs_count": 0, "favourites_count": 0, "following": False}


def test_megalodon_searches_lists_and_uploads(record: dict[str, Any], live_server: str):
    assert record["search"] == {
        "accounts": ["bob"],
        "statuses": [bob_post(live_server)],
        "hashtags": ["jsclients"],
    }
    assert record["lists"] == {
        "titles": ["Friends"],
        "members": ["bob"],
        "timeline": [bob_post(live_server)],
    }
    media = record["media"]
    assert (media["type"], media["attached"], media["url_ok"]) == ("image", ["a teal square"], 200)


def test_megalodon_reads_the_server(record: dict[str, Any]):
    server = record["server"]
    assert server["version"].startswith("4.3.0 (compatible; Chirp")
    assert server["v2_version"] == server["version"]
    assert server["api_versions"] == {"mastodon": 2}
    assert server["max_characters"] == 280
    assert server["streaming"].startswith("ws://127.0.0.1:")
    assert server["emojis"] == [] and server["announcements"] == []
    assert server["preferences"]["posting:default:visibility"] == "public"


def test_megalodon_reads_every_timeline_kind(record: dict[str, Any], live_server: str):
    """The tabs of an app: home, public, local (all of Chirp), media only, a tag, a tag's
    media, and a list (bob's post, and his reblog of ada's in the streaming step)."""
    picture, hello = (
        tagged(live_server, "a picture", "megalodon"),
        tagged(live_server, "hello from megalodon", "megalodon"),
    )
    assert record["timeline_kinds"] == {
        "home": 4,
        "public": 4,
        "local": 4,
        "only_media": [picture],
        "local_media": [picture],
        "tag": [picture, hello],
        "tag_media": [picture],
        "list": ["", bob_post(live_server)],
    }


def test_megalodon_posts_a_content_warning_once_with_an_idempotency_key(record: dict[str, Any]):
    assert record["spoiler_sensitive_and_idempotency"] == {
        "same_id": True,
        "posted": ["film ending", True],
        "plain": ["", False],
        "home": [True, "film ending", True, "<p>the butler did it</p>"],
        "bob_sees": True,
    }


def test_megalodon_writes_v1_filters(record: dict[str, Any]):
    """megalodon's filters are v1 (a phrase each); `irreversible` hides on the server."""
    filters = record["filters"]
    assert filters["created"] == ["jsclients", ["home", "public"], True, False]
    assert (filters["listed"], filters["one"]) == (["jsclients"], True)
    assert filters["updated"] == [True, "writes", ["home"], True]
    assert filters["hidden_shows_bob"] is False
    assert filters["after_delete"] == 0 and filters["gone"] == [404, "Record not found"]
    assert filters["shown_after"] is True


def test_megalodon_bookmarks_favourites_and_pins(record: dict[str, Any], live_server: str):
    assert record["bookmarks_and_favourites"] == {
        "bookmarked": True,
        "bookmarks": [bob_post(live_server)],
        "fetched_bookmarked": True,
        "favourites": [bob_post(live_server)],
        "unbookmarked": False,
        "bookmarks_after": 0,
    }
    assert record["pins"] == {
        "pinned": True,
        "listed": [True],
        "unpinned": False,
        "listed_after": 0,
    }


def test_megalodon_edits_and_reads_the_source(record: dict[str, Any], live_server: str):
    second = tagged(live_server, "second draft", "edited")
    assert record["edits"] == {
        "before_edit": None,
        "content": second,
        "spoiler": ["revised", True],
        "edited": True,
        "source": [True, "second draft #edited", "revised"],
        "seen_by_bob": [second, "revised", True],
    }


def test_megalodon_polls_vote_once_and_not_after_the_end(record: dict[str, Any]):
    assert record["polls"] == {
        "created": [["tea", "coffee", "water"], False, 0, True],  # the author has "voted"
        "voted": [True, [1], 1],
        "options": [["tea", 0], ["coffee", 1], ["water", 0]],
        "again": [422, "Validation failed: You have already voted on this poll"],
        "seen_by_author": [1, True],
        "expired": [True, False],
        "late": [422, "Validation failed: The poll has already ended"],
    }


def test_megalodon_direct_conversations_and_follow_requests(
    record: dict[str, Any], live_server: str
):
    talk = record["conversations"]
    assert talk["visibility"] == "direct"
    assert talk["bob_sees"] == [[["ada"], True, True]]
    assert talk["read"] is False
    mention = f'<a href="{live_server}/@bob" class="mention">@bob</a>'
    assert talk["ada_sees"] == [["bob"], f"<p>{mention} just between us</p>", False]
    assert talk["in_public"] is False
    assert record["follow_requests"] == {
        "locked": True,
        "asked": [False, True],
        "requests": ["ada"],
        "accepted": True,
        "after": [True, False],
        "requests_after": 0,
    }


def test_megalodon_notifications_markers_and_streaming(record: dict[str, Any]):
    seen = record["notifications"]
    assert seen["listed"] == [["follow", "bob"], ["favourite", "bob"]]
    assert seen["one"] == ["follow", "bob"]
    assert seen["after_dismiss"] == ["favourite"]
    assert record["markers"]["notifications"] == seen["newest"]
    # bob's reblog reaches ada's open user stream as a notification.
    assert record["streaming"] == ["reblog", "bob"]


# TODO(blocks and mutes): drive them through megalodon here too.
