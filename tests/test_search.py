"""Post and people search: the query syntax, ranking within recency, paging, visibility.

The same tests run on SQLite (FTS5) and PostgreSQL (tsvector); test_search_engines.py
also compares the two engines directly on one data set.
"""

import pytest
from sqlalchemy import ColumnElement, delete
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from webapp import crud
from webapp.crud import search
from webapp.crud.search import Cursor, parse, search_people, search_posts
from webapp.models import Tweet, User


def found(session: Session, q: str, **kwargs: object) -> set[str]:
    return {t.text for t in search_posts(session, q=q, limit=100, **kwargs).tweets}  # type: ignore[arg-type]


def test_parse_reads_words_phrases_exclusions_and_author():
    query = parse('Coffee "pour  over" -decaf -"instant coffee" from:@Ada')
    assert query.terms == [["coffee"], ["pour", "over"]]
    assert query.excluded == [["decaf"], ["instant", "coffee"]]
    assert query.from_handle == "ada"


def test_parse_keeps_only_letters_and_digits_of_words():
    assert parse("#python @bob don't !!! \"unterminated phrase").terms == [
        ["python"],
        ["bob"],
        ["don", "t"],
        ["unterminated", "phrase"],
    ]
    assert parse("!!! ---").empty
    assert parse("-spam").empty  # nothing to look for: exclusions alone find nothing


@pytest.fixture
def posts(session: Session) -> dict[str, User]:
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    for text in (
        "Morning coffee with a pour over",
        "decaf coffee is still coffee",
        "over the pour: rain again",
        "PYTHON release day",
    ):
        make_tweet(session, ada, text)
    make_tweet(session, bob, "bob drinks coffee too #Coffee")
    return {"ada": ada, "bob": bob}


def test_every_word_must_appear_in_any_order_and_case(session: Session, posts: dict[str, User]):
    assert found(session, "COFFEE morning") == {"Morning coffee with a pour over"}
    assert found(session, "day python") == {"PYTHON release day"}


def test_a_phrase_matches_only_those_words_in_that_order(session: Session, posts: dict[str, User]):
    assert found(session, '"pour over"') == {"Morning coffee with a pour over"}
    assert found(session, "pour over") == {
        "Morning coffee with a pour over",
        "over the pour: rain again",
    }


def test_a_minus_excludes_a_word_or_a_phrase(session: Session, posts: dict[str, User]):
    assert found(session, "coffee -decaf -morning") == {"bob drinks coffee too #Coffee"}
    assert found(session, 'coffee -"pour over"') == {
        "decaf coffee is still coffee",
        "bob drinks coffee too #Coffee",
    }


def test_from_limits_to_one_author(session: Session, posts: dict[str, User]):
    assert found(session, "coffee from:bob") == {"bob drinks coffee too #Coffee"}
    assert len(found(session, "from:ada")) == 4  # an author alone lists their posts
    assert found(session, "coffee from:nobody") == set()
    assert found(session, "coffee from:b\x00b") == set()  # not a handle: never a database error


def test_a_hashtag_or_an_operator_word_is_searched_as_a_word(
    session: Session, posts: dict[str, User]
):
    assert "bob drinks coffee too #Coffee" in found(session, "#coffee")
    make_tweet(session, posts["ada"], "this or that")
    assert found(session, "or") == {"this or that"}  # not websearch's OR operator


def test_nothing_to_look_for_finds_nothing(session: Session, posts: dict[str, User]):
    for q in ("", "   ", "-coffee", "!!!", '""'):
        assert search_posts(session, q=q).tweets == []


def test_more_occurrences_rank_first_within_the_newest_window(session: Session):
    ada = make_user(session)
    once = make_tweet(session, ada, "garden tea walk")
    twice = make_tweet(session, ada, "garden garden walk")
    newest = make_tweet(session, ada, "tea city river")
    assert [t.id for t in search_posts(session, q="garden").tweets] == [twice.id, once.id]
    ranked = search_posts(session, q="tea").tweets
    assert {t.id for t in ranked} == {once.id, newest.id}


def test_paging_walks_every_window_without_gaps_or_repeats(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(search, "WINDOW", 3)
    ada = make_user(session)
    ids = [make_tweet(session, ada, "cat " + "cat " * (i % 3) + "dog").id for i in range(8)]
    make_tweet(session, ada, "no match here")
    seen: list[int] = []
    cursor: Cursor | None = None
    for _ in range(20):
        results = search_posts(session, q="cat", cursor=cursor, limit=2)
        seen += [t.id for t in results.tweets]
        if results.next is None:
            break
        cursor = Cursor.parse(str(results.next))  # through a URL and back
    assert sorted(seen) == sorted(ids) and len(seen) == len(ids)
    # the newest three came first (the first window), best match first among them
    assert set(seen[:3]) == set(sorted(ids)[-3:])


def test_phrases_page_through_their_smaller_windows(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(search, "PHRASE_WINDOW", 2)
    ada = make_user(session)
    ids = [make_tweet(session, ada, f"red bike {i}").id for i in range(5)]
    make_tweet(session, ada, "bike red")  # the words, not the phrase
    seen: list[int] = []
    cursor: Cursor | None = None
    for _ in range(10):
        results = search_posts(session, q='"red bike"', cursor=cursor, limit=1)
        seen += [t.id for t in results.tweets]
        if results.next is None:
            break
        cursor = results.next
    assert sorted(seen) == sorted(ids) and len(seen) == len(ids)


def test_a_deleted_post_is_no_longer_found(session: Session):
    ada = make_user(session)
    tweet = make_tweet(session, ada, "ephemeral words")
    crud.delete_tweet(session, tweet_id=tweet.id, user_id=ada.id)
    assert found(session, "ephemeral") == set()
    session.execute(delete(User).where(User.id == ada.id))  # cascades to the rest
    session.commit()
    assert found(session, "words") == set()


def test_search_asks_visibility_what_the_viewer_may_see(
    session: Session, monkeypatch: pytest.MonkeyPatch, posts: dict[str, User]
):
    """Through the call sites of crud.visibility: what the predicates hide, search hides."""
    ada, bob = posts["ada"], posts["bob"]
    asked: list[int | None] = []

    def visible_to(viewer_id: int | None) -> ColumnElement[bool]:
        asked.append(viewer_id)
        return Tweet.owner_id != bob.id if viewer_id == ada.id else Tweet.id > 0

    monkeypatch.setattr(search, "visible_to", visible_to)
    assert found(session, "coffee", viewer_id=ada.id) == found(session, "coffee from:ada")
    assert "bob drinks coffee too #Coffee" in found(session, "coffee", viewer_id=bob.id)
    assert asked[:1] == [ada.id]
    monkeypatch.setattr(search, "publicly_listed", lambda: Tweet.owner_id != ada.id)
    assert found(session, "coffee", viewer_id=bob.id) == {"bob drinks coffee too #Coffee"}


def test_a_malformed_cursor_starts_from_the_top():
    for text in ("", "abc", "1.2", "1.x.3", "9" * 40, "1.9999999999999999999.1", None):
        assert Cursor.parse(text) == Cursor()
    assert Cursor.parse("10.5.7") == Cursor(10, 5, 7)
    assert Cursor.parse(str(Cursor(10))) == Cursor(10)


def test_people_match_a_prefix_of_handle_or_display_name(session: Session):
    crud.create_user(
        session,
        email="c@example.com",
        password="correct horse battery",
        username="countess",
        display_name="Ada King",
    )
    make_user(session, "ada")
    make_user(session, "adam")
    make_user(session, "bob")
    names = [u.username for u in search_people(session, q="@Ad").users]
    assert names == ["ada", "adam", "countess"]
    assert [u.username for u in search_people(session, q="ada k").users] == ["countess"]
    assert search_people(session, q="%").users == []  # a wildcard is a character, not "all"
    assert search_people(session, q="b_b").users == []
    assert search_people(session, q="bob@example.org").users[0].username == "bob"


def test_people_pages_follow_the_handle_cursor(session: Session):
    for i in range(5):
        make_user(session, f"pat{i}")
    first = search_people(session, q="pat", limit=3)
    second = search_people(session, q="pat", after=first.next_after, limit=3)
    assert [u.username for u in first.users + second.users] == [f"pat{i}" for i in range(5)]
    assert second.next_after is None
