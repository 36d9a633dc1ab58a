"""megalodon, the client behind several desktop Fediverse apps, drives a whole session on a
live Chirp (tests/node/megalodon_suite.mjs); it finds out what server this is from NodeInfo."""

from typing import Any

import pytest

from tests.js_clients import bob_post, failures, run_session


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
    assert server["max_characters"] == 280
    assert server["streaming"].startswith("ws://127.0.0.1:")
    assert server["emojis"] == []
    assert server["preferences"]["posting:default:visibility"] == "public"


def test_megalodon_notifications_markers_and_streaming(record: dict[str, Any]):
    seen = record["notifications"]
    assert seen["listed"] == [["follow", "bob"], ["favourite", "bob"]]
    assert seen["one"] == ["follow", "bob"]
    assert seen["after_dismiss"] == ["favourite"]
    assert record["markers"]["notifications"] == seen["newest"]
    # bob's reblog reaches ada's open user stream as a notification.
    assert record["streaming"] == ["reblog", "bob"]


# TODO(bookmarks, pins, edits, polls, filters, blocks, follow requests): other helpers are
# building these; once merged, drive them through megalodon here too.
