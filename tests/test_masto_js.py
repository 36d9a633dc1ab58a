"""masto.js, the JavaScript client many Mastodon web apps use, drives a whole session on a
live Chirp (tests/node/masto_suite.mjs): what a person does in such an app."""

from typing import Any

import pytest

from tests.js_clients import bob_post, failures, run_session, tagged


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


def test_masto_js_reads_every_timeline_kind(record: dict[str, Any], live_server: str):
    """The tabs of an app: home, public, local (all of Chirp), remote (none: no federation),
    media only, a tag, a tag's media, and a list."""
    picture, hello = (
        tagged(live_server, "a picture", "mastojs"),
        tagged(live_server, "hello from masto.js", "mastojs"),
    )
    assert record["timeline_kinds"] == {
        "home": 4,  # the reblog, the reply, the post, the picture
        "public": 4,  # bob's post, the reply, the post, the picture
        "local": 4,
        "remote": [],
        "only_media": [picture],
        "tag": [picture, hello],
        "tag_media": [picture],
        "list": [bob_post(live_server)],
    }


def test_masto_js_posts_a_content_warning_once_with_an_idempotency_key(record: dict[str, Any]):
    assert record["spoiler_and_idempotency"] == {
        "same_id": True,
        "posted": 1,
        "spoiler_text": "film ending",
        "sensitive": True,
        "content": "<p>the butler did it</p>",
    }


def test_masto_js_filters_warn_then_hide_then_go(record: dict[str, Any]):
    filters = record["filters"]
    assert filters["created"] == ["Not today", ["home", "public"], "warn"]
    assert filters["keywords"] == [["jsclients", True]]
    assert filters["listed"] == ["Not today"]
    # ada's home shows bob's post as her reblog of it: the row carries the match.
    assert filters["caught"] == [["reblog", [[True, "Not today", ["jsclients"]]]]]
    assert filters["updated"] == ["Never", "hide", ["writes"]]
    assert filters["hidden_shows_bob"] is False  # hide: left out of home
    assert filters["after_delete"] == 0 and filters["home_filtered_after"] == 0
    assert filters["shown_after"] is True


def test_masto_js_bookmarks_favourites_and_pins(record: dict[str, Any], live_server: str):
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
        "listed": [[True, True]],
        "seen_by_bob": [True],
        "unpinned": False,
        "listed_after": 0,
    }


def test_masto_js_edits_with_history_and_source(record: dict[str, Any], live_server: str):
    edits = record["edits"]
    second = tagged(live_server, "second draft", "edited")
    assert edits["before_edit"] is None and edits["edited"] is True
    assert (edits["content"], edits["tags"]) == (second, ["edited"])
    assert edits["history"] == ["<p>first draft</p>", second]
    assert edits["history_warning"] == ["revised", True]
    assert edits["source"] == [True, "second draft #edited", "revised"]
    assert edits["seen_by_bob"] == [second, "revised", True]


def test_masto_js_polls_vote_once_and_not_after_the_end(record: dict[str, Any]):
    polls = record["polls"]
    assert polls["created"] == [["tea", "coffee", "water"], False, 0, False]
    assert polls["created_voted"] is True  # the author sees the results, as on Mastodon
    assert polls["voted"] == [True, [1], 1, 1]
    assert polls["options"] == [["tea", 0], ["coffee", 1], ["water", 0]]
    assert polls["again"] == [422, "Validation failed: You have already voted on this poll"]
    assert polls["seen_by_author"] == [1, True, []]
    assert polls["in_timeline"] == [True, [1], 1]
    assert polls["expired"] == [True, False]
    assert polls["late"] == [422, "Validation failed: The poll has already ended"]


def test_masto_js_direct_conversations_and_follow_requests(
    record: dict[str, Any], live_server: str
):
    talk = record["conversations"]
    assert talk["visibility"] == "direct"
    assert talk["bob_sees"] == [[["ada"], True, True]]  # unread until he reads it
    assert talk["read"] is False
    mention = f'<a href="{live_server}/@bob" class="mention">@bob</a>'
    assert talk["ada_sees"] == [["bob"], f"<p>{mention} just between us</p>", False]
    assert talk["in_public"] is False
    assert record["follow_requests"] == {
        "locked": True,
        "asked": [False, True],
        "requests": ["ada"],
        "pending_count": 1,
        "authorized": [True, False],
        "after": [True, False],
        "requests_after": 0,
    }


def test_masto_js_reads_the_server(record: dict[str, Any]):
    server = record["server"]
    assert server["v1_version"].startswith("4.3.0 (compatible; Chirp")
    assert server["api_versions"] == {"mastodon": 2}
    assert server["max_characters"] == 280
    assert server["streaming"].startswith("ws://127.0.0.1:")
    assert server["emojis"] == [] and server["announcements"] == []
    assert server["preferences"]["posting:default:visibility"] == "public"
    assert server["registrations"] is True and server["media_types"] is True
    assert server["poll_limits"] == {
        "maxOptions": 4,
        "maxCharactersPerOption": 50,
        "minExpiration": 300,
        "maxExpiration": 604800,
    }


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


# TODO(blocks and mutes): drive them through masto.js here too.
