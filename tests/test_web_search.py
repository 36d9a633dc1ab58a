"""The search and discovery pages: the nav's search box, /search tabs, suggestions as you
type, /tags trends, who to follow. Plain GETs work without JavaScript; htmx gets fragments."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.web import HTMX, log_in, soup
from webapp import crud, sqlcount
from webapp.config import settings


def test_every_page_has_a_search_box_that_is_a_plain_get_form(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    for path in ("/", "/people", "/login", "/@ada", "/tags/x"):
        form = soup(client.get(path)).find("form", role="search")
        assert (form["action"], form["method"]) == ("/search", "get"), path
        assert form.find("input", attrs={"name": "q"})["hx-get"] == "/search/suggest"
    log_in(client, ada)
    assert soup(client.get("/")).find("form", role="search") is not None


def test_posts_tab_shows_matches_and_pages_with_a_cursor(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    ada = make_user(session, "ada")
    for i in range(23):
        make_tweet(session, ada, f"coffee number {i}")
    make_tweet(session, ada, "tea only")
    page = soup(client.get("/search", params={"q": "coffee"}))
    texts = [p.get_text() for p in page.select("#results .tweet-text")]
    assert len(texts) == 20 and all("coffee" in t for t in texts)
    assert page.find("a", attrs={"aria-current": "page"}).get_text() == "Posts"
    more = page.find("a", class_="more")["href"]
    rest = soup(client.get(more, headers=HTMX))
    assert rest.find("h1") is None  # the fragment only
    assert len(rest.select(".tweet-text")) == 3 and rest.find("a", class_="more") is None


def test_people_tab_lists_matches_with_follow_buttons(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    make_user(session, "adam")
    make_user(session, "bob")
    log_in(client, ada)
    page = soup(client.get("/search", params={"q": "@ad"}))  # @ opens the People tab
    assert [h.get_text() for h in page.select("#results .handle")] == ["@ada", "@adam"]
    assert page.select_one("#results form.follow")["action"] == "/@adam/follow"


def test_tags_tab_lists_tags_by_prefix(client: TestClient, session: Session):
    ada = make_user(session, "ada")
    make_tweet(session, ada, "#coffee #coffeetime #tea")
    page = soup(client.get("/search", params={"q": "#cof"}))
    assert [a.get_text() for a in page.select("#results a.hashtag")] == ["#coffee", "#coffeetime"]


def test_suggestions_as_you_type(client: TestClient, session: Session):
    make_user(session, "ada")
    make_user(session, "adam")
    options = soup(client.get("/search/suggest", params={"q": "ad"}, headers=HTMX))
    links = [a["href"] for a in options.select('[role="option"] a')]
    assert links == ["/@ada", "/@adam", "/search?q=ad"]
    assert soup(client.get("/search/suggest", params={"q": " "})).select("li") == []
    assert client.get("/search/suggest", params={"q": "a\x00"}).status_code == 200


def test_bad_search_input_is_a_clear_answer_never_a_500(client: TestClient, session: Session):
    make_tweet(session, make_user(session), "coffee")
    assert client.get("/search", params={"q": "x" * 201}).status_code == 422
    for params in (
        {"q": "coffee", "cursor": "junk"},
        {"q": '"unclosed -', "tab": "nonsense"},
        {"q": "\x00coffee"},
        {"q": "ad\x00", "tab": "people"},
        {"q": "#c\x00", "tab": "tags"},
        {"q": "people", "tab": "people", "after": "zzz"},
        {"q": "people", "tab": "people", "after": "a\x00"},
        {"q": "tags", "tab": "tags", "after": "a\x00"},
        {"q": "coffee", "cursor": "1.9999999999999999999.1"},
    ):
        assert client.get("/search", params=params).status_code == 200, params


def test_trending_page_ranks_by_people(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    for _ in range(3):
        make_tweet(session, ada, "#mine")
    make_tweet(session, ada, "#ours")
    make_tweet(session, bob, "#ours")
    page = soup(client.get("/tags"))
    assert [a.get_text() for a in page.select("#trending a.hashtag")] == ["#ours", "#mine"]
    assert "2 people, 2 posts" in page.select_one("#trending .tag-item").get_text()


def test_home_loads_who_to_follow_after_the_page(client: TestClient, session: Session):
    ada, bob, cat = make_user(session, "ada"), make_user(session, "bob"), make_user(session, "cat")
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    crud.follow(session, follower_id=bob.id, followee_id=cat.id)
    log_in(client, ada)
    slot = soup(client.get("/")).find(attrs={"hx-get": "/who-to-follow"})
    assert slot["hx-trigger"] == "load" and slot.find("a")["href"] == "/who-to-follow"
    box = soup(client.get("/who-to-follow", headers=HTMX))
    assert [h.get_text() for h in box.select(".handle")] == ["@cat"]
    assert box.select_one("form.follow")["action"] == "/@cat/follow"
    assert soup(client.get("/who-to-follow")).find("h1").get_text() == "Who to follow"


def test_who_to_follow_asks_a_visitor_to_log_in(client: TestClient):
    response = client.get("/who-to-follow", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (
        303,
        "/login?next=/who-to-follow",
    )


@pytest.mark.parametrize("posts", [3, 40])
def test_search_pages_cost_the_same_for_few_or_many_results(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch, posts: int
):
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada = make_user(session, "ada")
    for i in range(posts):
        make_tweet(session, make_user(session, f"writer{i}"), f"coffee #brew {i}")
    log_in(client, ada)

    def cost(path: str) -> int:
        response = client.get(path)
        assert response.status_code == 200
        return int(response.headers[sqlcount.HEADER])

    client.get("/search?q=warm")  # PostgreSQL: the common-word statistics, read once a while
    assert cost("/search?q=coffee") == 2  # session, the page of posts with their owners
    assert cost("/search?q=writer&tab=people") == 4  # + follower counts, follow flags
    assert cost("/search?q=br&tab=tags") == 3  # + uses in the last day
    assert cost("/tags") == 2
    assert cost("/search/suggest?q=wr") == 2
