"""masto.js, the JavaScript client many Mastodon web apps use, drives a whole session on a
live Chirp (tests/node/masto_suite.mjs): what a person does in such an app."""

from typing import Any

import pytest

from tests.js_clients import bob_post, failures, run_session


@pytest.fixture(scope="module")
def record(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """One run of the suite for the module (the tests read its record, not the database)."""
    return run_session("masto_suite.mjs", live_server, tmp_path_factory.mktemp("js") / "square.png")


def test_masto_js_session(record: dict[str, Any], live_server: str):
    """Every step ran without the client raising, and each shows what a person would see."""
    assert failures(record) == {}
    assert record["verify"]["acct"] == "ada"
    follow = record["follow_by_name"]
    assert (follow["searched"], follow["looked_up"]) == (["bob"], "bob")
    assert follow["following"] and follow["relationship_following"]
    assert record["timelines"] == {
        "home": [bob_post(live_server)],
        "public": [bob_post(live_server)],
        "tag": [bob_post(live_server)],
    }


def test_masto_js_posts_replies_reblogs_and_likes(record: dict[str, Any]):
    acts = record["post_reply_reblog_favourite"]
    assert acts["mine"]["tags"] == ["mastojs"]
    assert acts["reply_to"] is not None and acts["descendants"] == [acts["reply_id"]]
    assert (acts["reblogged"], acts["reblogs_count"]) == (True, 1)
    assert (acts["favourited"], acts["favourites_count"]) == (True, 1)
    # Newest first: the reblog (empty content, as Mastodon's), the reply, the new post.
    assert acts["home_after"][0] == ""
    assert "nice one" in acts["home_after"][1]
    assert "hello from masto.js" in acts["home_after"][2]
    assert record["delete"] == {"text": "soon gone", "fetched_after": 404}


def test_masto_js_searches_lists_and_uploads(record: dict[str, Any], live_server: str):
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


def test_masto_js_reads_the_server(record: dict[str, Any]):
    server = record["server"]
    assert server["v1_version"].startswith("4.3.0 (compatible; Chirp")
    assert server["api_versions"] == {"mastodon": 2}
    assert server["max_characters"] == 280
    assert server["streaming"].startswith("ws://127.0.0.1:")
    assert server["emojis"] == []
    assert server["preferences"]["posting:default:visibility"] == "public"


def test_masto_js_grouped_notifications_and_markers(record: dict[str, Any]):
    seen = record["notifications"]
    assert seen["v1"] == [["follow", "bob"], ["favourite", "bob"]]
    bob_id = record["follow_by_name"]["bob_id"]
    assert seen["groups"] == [["follow", 1, [bob_id]], ["favourite", 1, [bob_id]]]
    assert seen["accounts"] == ["bob"]
    mine = record["post_reply_reblog_favourite"]["mine"]["id"]
    assert seen["statuses"] == [mine]
    [(key, status_id)] = seen["fetched"]
    assert key.startswith(f"favourite-{mine}-") and status_id == mine
    assert seen["unread"] == 2
    assert seen["after_dismiss"] == ["follow"]
    markers = record["markers"]
    assert markers["home"] and markers["notifications"] == markers["newest"]
    assert markers["unread"] == 0


def test_masto_js_undoes_reblog_like_follow_and_list(record: dict[str, Any]):
    assert record["undo"] == {
        "reblogged_by": ["ada"],
        "favourited_by": ["ada"],
        "followers": ["ada"],
        "reblogs_count": 0,
        "favourites_count": 0,
        "following": False,
        "renamed": "Close friends",
        "lists_left": 0,
    }


def test_masto_js_pages_by_the_link_header(record: dict[str, Any]):
    paging = record["paging"]
    assert paging["paged"] == paging["whole"] and len(paging["whole"]) == 4
    assert paging["groups"] == ["follow"]  # what is left after the dismiss


# TODO(bookmarks, pins, edits, polls, filters, blocks, follow requests): other helpers are
# building these; once merged, drive them through masto.js here too.
