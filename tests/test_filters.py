"""Keyword filters on the web (issue 17): a post a filter catches is collapsed behind
"Hidden by your filter: <title>" (warn) or left out (hide), in the contexts the filter
names, until it expires; /settings/filters makes, edits and deletes them."""

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.web import HTMX, log_in, post_form, soup
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.crud import conversations, filters, lists
from webapp.crud.filters import KeywordChange
from webapp.models import Filter, User, utcnow


def _text(tag: Any) -> str:
    return " ".join(tag.get_text().split())


def _texts(response: object) -> list[str]:
    return [_text(p) for p in soup(response).select(".tweet-text")]  # type: ignore[arg-type]


def _collapsed(response: object) -> dict[str, list[str]]:
    """Each collapsed post's summary -> the texts behind it."""
    return {
        _text(d.summary): [_text(p) for p in d.select(".tweet-text")]
        for d in soup(response).select("details.filtered")  # type: ignore[arg-type]
    }


def _people(session: Session) -> tuple[User, User]:
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    return ada, bob


def _filter(
    session: Session,
    user: User,
    *words: str,
    action: str = "warn",
    context: tuple[str, ...] = ("home", "public", "thread", "account", "notifications"),
    whole_word: bool = True,
    title: str = "Spoilers",
) -> int:
    keywords = [KeywordChange(w, whole_word) for w in words]
    view = filters.create_filter(
        session,
        user_id=user.id,
        title=title,
        context=context,
        filter_action=action,
        keywords=keywords,
    )
    return view.row.id


def test_warn_collapses_the_post_behind_the_filters_title(client: TestClient, session: Session):
    ada, bob = _people(session)
    make_tweet(session, bob, "The finale of Severance was wild")
    make_tweet(session, bob, "lunch was good")
    _filter(session, ada, "severance")
    log_in(client, ada)
    home = client.get("/")
    assert _collapsed(home) == {
        "Hidden by your filter: Spoilers": ["The finale of Severance was wild"]
    }
    assert "lunch was good" in _texts(home)  # the other post shows as always


def test_hide_leaves_the_post_out(client: TestClient, session: Session):
    ada, bob = _people(session)
    make_tweet(session, bob, "Severance spoilers ahead")
    make_tweet(session, bob, "lunch was good")
    _filter(session, ada, "severance", action="hide")
    log_in(client, ada)
    home = client.get("/")
    assert _texts(home) == ["lunch was good"]
    assert "Hidden by your filter" not in home.text


def test_whole_word_against_substring(client: TestClient, session: Session):
    ada, bob = _people(session)
    make_tweet(session, bob, "a category of its own")
    make_tweet(session, bob, "my cat sleeps")
    log_in(client, ada)
    _filter(session, ada, "cat", action="hide", title="Whole")
    assert _texts(client.get("/")) == ["a category of its own"]
    _filter(session, ada, "CAT", action="hide", whole_word=False, title="Part")
    assert _texts(client.get("/")) == []


def test_an_expired_filter_does_nothing(client: TestClient, session: Session):
    ada, bob = _people(session)
    make_tweet(session, bob, "Severance again")
    fid = _filter(session, ada, "severance", action="hide")
    session.execute(
        update(Filter).where(Filter.id == fid).values(expires_at=utcnow() - timedelta(minutes=1))
    )
    session.commit()
    log_in(client, ada)
    assert _texts(client.get("/")) == ["Severance again"]


def test_a_filter_applies_only_in_its_contexts(client: TestClient, session: Session):
    ada, bob = _people(session)
    post = make_tweet(session, bob, "Severance #tv")
    _filter(session, ada, "severance", action="hide", context=("home",))
    log_in(client, ada)
    assert _texts(client.get("/")) == []
    assert _texts(client.get("/?feed=everyone")) == ["Severance #tv"]
    assert _texts(client.get("/tags/tv")) == ["Severance #tv"]
    assert _texts(client.get("/@bob")) == ["Severance #tv"]
    assert "Severance #tv" in _texts(client.get(f"/t/{post.id}"))


@pytest.mark.parametrize(
    ("context", "path"),
    [
        ("public", "/?feed=everyone"),
        ("public", "/tags/tv"),
        ("account", "/@bob"),
        ("home", "/lists/{list}"),
    ],
)
def test_each_timeline_applies_its_context(
    client: TestClient, session: Session, context: str, path: str
):
    ada, bob = _people(session)
    make_tweet(session, bob, "Severance #tv")
    make_tweet(session, bob, "other #tv")
    row = lists.create_list(session, owner_id=ada.id, title="Friends")
    lists.add_members(session, list_id=row.id, owner_id=ada.id, user_ids=[bob.id])
    _filter(session, ada, "severance", context=(context,))
    log_in(client, ada)
    page = client.get(path.format(list=row.id))
    assert _collapsed(page) == {"Hidden by your filter: Spoilers": ["Severance #tv"]}
    assert "other #tv" in _texts(page)


def test_a_thread_collapses_replies_and_the_post_itself(client: TestClient, session: Session):
    ada, bob = _people(session)
    post = make_tweet(session, bob, "what did you think of Severance")
    crud.create_tweet(session, owner_id=bob.id, text="Severance rules", in_reply_to_id=post.id)
    crud.create_tweet(session, owner_id=bob.id, text="it was fine", in_reply_to_id=post.id)
    _filter(session, ada, "severance", action="hide", context=("thread",))
    log_in(client, ada)
    page = client.get(f"/t/{post.id}")
    # The post you opened is collapsed rather than gone; the hidden reply is left out.
    assert _collapsed(page) == {"Hidden by your filter: Spoilers": [post.text]}
    assert "Severance rules" not in page.text and "it was fine" in _texts(page)


def test_notifications_context(client: TestClient, session: Session):
    ada, bob = _people(session)
    crud.create_tweet(session, owner_id=bob.id, text="@ada Severance tonight?")
    crud.create_tweet(session, owner_id=bob.id, text="@ada lunch?")
    _filter(session, ada, "severance", context=("notifications",))
    log_in(client, ada)
    page = soup(client.get("/notifications"))
    warned = page.select("details.filtered")
    assert len(warned) == 1 and "Hidden by your filter: Spoilers" in warned[0].summary.text
    assert "Severance tonight" in warned[0].text
    _filter(session, ada, "lunch", action="hide", context=("notifications",), title="Food")
    assert "lunch?" not in client.get("/notifications").text


def test_settings_make_edit_and_delete_a_filter(client: TestClient, session: Session):
    ada, bob = _people(session)
    make_tweet(session, bob, "Severance and Lost")
    log_in(client, ada)
    assert "You have no filters yet" in client.get("/settings/filters").text
    made = post_form(
        client,
        "/settings/filters",
        {
            "title": "TV",
            "keywords": "severance\nlost\n",
            "whole_word": "on",
            "context": ["home", "public"],
            "filter_action": "warn",
            "expires_in": "86400",
        },
    )
    assert made.status_code == 303 and made.headers["location"] == "/settings/filters"
    listing = client.get("/settings/filters")
    assert "TV" in listing.text and "severance, lost" in listing.text
    assert "expires in" in listing.text
    assert _collapsed(client.get("/")) == {"Hidden by your filter: TV": ["Severance and Lost"]}
    fid = filters.my_filters(session, user_id=ada.id)[0].row.id
    edit = soup(client.get(f"/settings/filters/{fid}"))
    assert edit.find(id="keywords").text == "severance\nlost"
    changed = post_form(
        client,
        f"/settings/filters/{fid}",
        {"title": "TV shows", "keywords": "lost", "context": ["home"], "filter_action": "hide"},
    )
    assert changed.status_code == 303
    (view,) = filters.my_filters(session, user_id=ada.id)
    assert [k.keyword for k in view.keywords] == ["lost"] and view.row.filter_action == "hide"
    assert view.row.expires_at is not None  # "keep" left the expiry alone
    assert _texts(client.get("/")) == []
    assert post_form(client, f"/settings/filters/{fid}/delete").status_code == 303
    assert _texts(client.get("/")) == ["Severance and Lost"]
    session.expire_all()
    assert session.get(User, ada.id).has_filters is False  # type: ignore[union-attr]


def test_a_bad_filter_form_keeps_what_was_typed(client: TestClient, session: Session):
    log_in(client, make_user(session, "ada"))
    refused = post_form(
        client,
        "/settings/filters",
        {"title": "TV", "keywords": "severance", "filter_action": "warn", "expires_in": ""},
    )
    assert refused.status_code == 422
    page = soup(refused)
    assert "at least one place" in page.find(id="context-error").text
    assert page.find(id="title")["value"] == "TV"
    assert page.find(id="keywords").text == "severance"
    untitled = post_form(client, "/settings/filters", {"title": " ", "context": ["home"]})
    assert untitled.status_code == 422 and "needs a title" in untitled.text
    odd = post_form(
        client, "/settings/filters", {"title": "x", "context": ["home"], "expires_in": "5"}
    )
    assert odd.status_code == 422 and "Choose when the filter ends" in odd.text


def test_someone_elses_filter_is_not_found(client: TestClient, session: Session):
    ada, bob = _people(session)
    fid = _filter(session, bob, "x")
    log_in(client, ada)
    assert client.get(f"/settings/filters/{fid}").status_code == 404
    assert post_form(client, f"/settings/filters/{fid}/delete").status_code == 404


def test_filters_need_signing_in(client: TestClient):
    response = client.get("/settings/filters", follow_redirects=False)
    assert response.status_code == 303 and "/login" in response.headers["location"]


def test_home_costs_two_statements_without_filters_and_three_with(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada, bob = _people(session)
    for i in range(25):
        make_tweet(session, bob, f"post {i} severance" if i % 2 else f"post {i}")
    log_in(client, ada)

    def cost(path: str, **kwargs: object) -> int:
        response = client.get(path, **kwargs)
        assert response.status_code == 200
        return int(response.headers[sqlcount.HEADER])

    assert cost("/") == 2
    _filter(session, ada, "severance", "other", action="hide")
    _filter(session, ada, "post 2", whole_word=False, title="Twos")
    assert cost("/") == 3
    assert cost("/?feed=everyone") == 3
    assert cost("/?before=2147483647", headers=HTMX) == 3
    page = client.get("/")
    assert all("severance" not in text for text in _texts(page))
    assert list(_collapsed(page)) == ["Hidden by your filter: Twos"]


def test_new_posts_loaded_in_place_are_filtered_too(client: TestClient, session: Session):
    ada, bob = _people(session)
    first = make_tweet(session, bob, "before")
    log_in(client, ada)
    make_tweet(session, bob, "Severance news")
    make_tweet(session, bob, "Lumon news")
    _filter(session, ada, "severance", action="hide")
    _filter(session, ada, "lumon", title="Company")
    fresh = client.get(f"/home/new?after={first.id}", headers=HTMX)
    assert _texts(fresh) == ["Lumon news"]
    assert list(_collapsed(fresh)) == ["Hidden by your filter: Company"]


def test_a_repost_is_judged_by_the_post_it_shows(client: TestClient, session: Session):
    ada, bob = _people(session)
    cy = make_user(session, "cy")
    original = make_tweet(session, cy, "Severance is back")
    conversations.repost(session, user_id=bob.id, tweet_id=original.id)
    make_tweet(session, bob, "other")
    _filter(session, ada, "severance", action="hide")
    log_in(client, ada)
    assert _texts(client.get("/")) == ["other"]
