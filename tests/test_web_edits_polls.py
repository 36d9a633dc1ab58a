"""Editing posts and polls on the web pages: with htmx (fragments swapped in place) and
without JavaScript (plain form posts answered by 303), and what each costs in SQL."""

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests import images
from tests.factories import make_tweet, make_user
from tests.mastodon_helpers import token
from tests.web import HTMX, csrf_token, htmx_post, log_in, post_form, soup
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.crud import edits, polls, posting
from webapp.models import Poll, PollOption, PollVote, TweetEdit, User


@pytest.fixture(autouse=True)
def _count_header(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(settings, "sql_count_header", True)


def poll_post(session: Session, user: User, text: str = "Tea or coffee?", **kw: object) -> int:
    spec = polls.PollSpec(["tea", "coffee"], 3600, **kw)  # type: ignore[arg-type]
    return crud.create_tweet(session, owner_id=user.id, text=text, poll=spec).id


def test_edit_without_javascript_then_history_shows_both_versions(
    client: TestClient, session: Session
):
    ada = make_user(session)
    post = make_tweet(session, ada, "helo world")
    log_in(client, ada)
    form = soup(client.get(f"/t/{post.id}/edit")).find("form", action=f"/t/{post.id}/edit")
    assert form.find("textarea").get_text() == "helo world"
    response = post_form(client, f"/t/{post.id}/edit", {"text": "hello world"})
    assert response.status_code == 303 and response.headers["location"] == f"/t/{post.id}"
    card = soup(client.get(f"/t/{post.id}")).find("article", id=f"tweet-{post.id}")
    assert card.select_one(".tweet-text").get_text() == "hello world"
    assert card.find("a", class_="edited")["href"] == f"/t/{post.id}/history"
    history = soup(client.get(f"/t/{post.id}/history"))
    versions = [p.get_text() for p in history.select(".version .tweet-text")]
    assert versions == ["hello world", "helo world"]  # newest first
    assert "Original" in history.select(".version-head")[-1].get_text()


def test_edit_in_place_with_htmx(client: TestClient, session: Session):
    ada = make_user(session)
    post = make_tweet(session, ada, "first")
    log_in(client, ada)
    home = soup(client.get("/"))
    link = home.find("article", id=f"tweet-{post.id}").find("a", class_="edit")
    assert link["hx-get"] == f"/t/{post.id}/edit"
    box = soup(client.get(f"/t/{post.id}/edit", headers=HTMX))
    assert box.find("html") is None and box.find("form", class_="edit-form")
    saved = htmx_post(client, f"/t/{post.id}/edit", {"text": "second"})
    assert saved.status_code == 200
    card = soup(saved).find("article", id=f"tweet-{post.id}")
    assert card.select_one(".tweet-text").get_text() == "second"
    assert card.find("a", class_="edited")
    blank = htmx_post(client, f"/t/{post.id}/edit", {"text": "   "})
    assert blank.status_code == 422 and "a tweet can" in soup(blank).get_text()
    assert soup(client.get(f"/t/{post.id}")).select_one(".tweet-text").get_text() == "second"


def warned_post(session: Session, user: User, text: str, warning: str) -> int:
    chosen = posting.options(spoiler_text=warning)
    return crud.create_tweet(session, owner_id=user.id, text=text, options=chosen).id


def test_edit_changes_the_warning_without_javascript_and_history_shows_each(
    client: TestClient, session: Session
):
    ada = make_user(session)
    post_id = warned_post(session, ada, "the butler did it", "Film spoilers")
    log_in(client, ada)
    form = soup(client.get(f"/t/{post_id}/edit")).find("form", action=f"/t/{post_id}/edit")
    field = form.find("input", attrs={"name": "spoiler_text"})
    assert field["value"] == "Film spoilers"
    assert form.find("label", attrs={"for": field["id"]}).get_text() == (
        "Content warning (optional)"
    )
    typed = {"text": "the butler did it", "spoiler_text": "Book spoilers"}
    response = post_form(client, f"/t/{post_id}/edit", typed)
    assert response.status_code == 303 and response.headers["location"] == f"/t/{post_id}"
    card = soup(client.get(f"/t/{post_id}")).find("article", id=f"tweet-{post_id}")
    assert card.select_one(".content-warning").get_text() == "Book spoilers"
    assert card.select_one(".spoiler .tweet-text").get_text() == "the butler did it"
    typed["text"] = "it was the cook"
    assert post_form(client, f"/t/{post_id}/edit", typed).status_code == 303
    versions = soup(client.get(f"/t/{post_id}/history")).select(".version")
    shown = [
        (v.select_one(".content-warning").get_text(), v.select_one(".tweet-text").get_text())
        for v in versions
    ]  # newest first
    assert shown == [
        ("Content warning: Book spoilers", "it was the cook"),
        ("Content warning: Book spoilers", "the butler did it"),
        ("Content warning: Film spoilers", "the butler did it"),
    ]


def test_htmx_edit_takes_the_warning_off_and_a_bad_one_keeps_what_was_typed(
    client: TestClient, session: Session
):
    ada = make_user(session)
    post_id = warned_post(session, ada, "plot twist", "Spoilers")
    log_in(client, ada)
    box = soup(client.get(f"/t/{post_id}/edit", headers=HTMX))
    assert box.find("input", attrs={"name": "spoiler_text"})["value"] == "Spoilers"
    too_long = {"text": "a new twist", "spoiler_text": "w" * 281}
    refused = htmx_post(client, f"/t/{post_id}/edit", too_long)
    assert refused.status_code == 422
    again = soup(refused).find("form", class_="edit-form")
    assert again.find("textarea").get_text() == "a new twist"
    field = again.find("input", attrs={"name": "spoiler_text"})
    assert field["value"] == "w" * 281 and field["aria-invalid"] == "true"
    error = again.find(id=field["aria-describedby"]).get_text()
    assert error == "A content warning can have at most 280 characters"
    blank = htmx_post(client, f"/t/{post_id}/edit", {"text": " ", "spoiler_text": "New"})
    assert blank.status_code == 422
    assert soup(blank).find("input", attrs={"name": "spoiler_text"})["value"] == "New"
    saved = htmx_post(client, f"/t/{post_id}/edit", {"text": "plot twist", "spoiler_text": ""})
    card = soup(saved).find("article", id=f"tweet-{post_id}")
    assert card.select_one(".content-warning") is None
    assert card.select_one(".tweet-text").get_text() == "plot twist"
    versions = soup(client.get(f"/t/{post_id}/history")).select(".version")
    assert [v.select_one(".content-warning") is None for v in versions] == [True, False]


def test_edit_box_of_a_post_with_images_has_the_sensitive_box(client: TestClient, session: Session):
    ada = make_user(session)
    log_in(client, ada)
    files = [("image", ("p.png", images.png((40, 40)), "image/png"))]
    data = {"csrf_token": csrf_token(client), "text": "a photo", "spoiler_text": "Cats"}
    assert client.post("/t", data=data, files=files, follow_redirects=False).status_code == 303
    post_id = int(soup(client.get("/")).select_one("article.tweet")["id"].removeprefix("tweet-"))
    box = soup(client.get(f"/t/{post_id}/edit")).find("form", class_="edit-form")
    assert box.find("input", attrs={"name": "sensitive"}).has_attr("checked")
    kept = {"text": "a photo", "spoiler_text": "", "sensitive": "1"}
    assert post_form(client, f"/t/{post_id}/edit", kept).status_code == 303
    card = soup(client.get(f"/t/{post_id}")).find("article", id=f"tweet-{post_id}")
    assert card.select_one(".content-warning") is None
    assert card.select_one("details.sensitive-media .media-grid img")
    shown = htmx_post(client, f"/t/{post_id}/edit", {"text": "a photo", "spoiler_text": ""})
    card = soup(shown).find("article", id=f"tweet-{post_id}")
    assert card.select_one("details.sensitive-media") is None and card.select_one(".media-grid img")
    plain = make_tweet(session, ada, "no images")
    assert (
        soup(client.get(f"/t/{plain.id}/edit")).find("input", attrs={"name": "sensitive"}) is None
    )


def test_only_the_author_may_edit_and_a_hidden_post_is_404(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    post = make_tweet(session, ada, "ada's")
    hidden = crud.create_tweet(session, owner_id=ada.id, text="friends", visibility="private")
    log_in(client, bob)
    assert client.get(f"/t/{post.id}/edit").status_code == 403
    assert post_form(client, f"/t/{post.id}/edit", {"text": "bob's now"}).status_code == 403
    assert post_form(client, f"/t/{hidden.id}/edit", {"text": "x"}).status_code == 404
    assert client.get(f"/t/{hidden.id}/history").status_code == 404
    assert not soup(client.get(f"/t/{post.id}")).find("a", class_="edit")
    assert soup(client.get(f"/t/{post.id}")).select_one(".tweet-text").get_text() == "ada's"


def test_a_poll_from_the_composer_voted_without_javascript(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    log_in(client, ada)
    form = {"text": "Lunch?", "poll_option": ["soup", "salad", "", ""], "poll_expires_in": "3600"}
    assert post_form(client, "/t", form).status_code == 303
    mine = soup(client.get("/")).select_one(".poll")
    assert mine.find("form") is None  # your own poll: the results
    assert [t.get_text() for t in mine.select(".poll-title")] == ["soup", "salad"]
    client.cookies.clear()
    log_in(client, bob)
    page = soup(client.get(f"/@{ada.username}"))
    vote_form = page.select_one("form.poll-vote")
    radios = vote_form.select("input[type=radio][name=choice]")
    assert [r["value"] for r in radios] == ["0", "1"]
    response = post_form(client, vote_form["action"], {"choice": "1"})
    assert response.status_code == 303
    poll = soup(client.get(f"/@{ada.username}")).select_one(".poll")
    assert poll.find("form") is None
    assert poll.select_one(".chosen .poll-title").get_text().startswith("salad")
    assert [p.get_text() for p in poll.select(".poll-percent")] == ["0%", "100%"]
    assert "1 person voted" in poll.select_one(".poll-meta").get_text()
    again = post_form(client, vote_form["action"], {"choice": "0"})
    assert again.status_code == 400 and "already voted" in again.text


def test_htmx_vote_swaps_the_results_in_and_says_what_went_wrong(
    client: TestClient, session: Session
):
    ada, bob = make_user(session), make_user(session)
    poll_id = poll_post(session, ada, multiple=True)
    log_in(client, bob)
    form = soup(client.get(f"/t/{poll_id}")).select_one("form.poll-vote")
    assert [c["type"] for c in form.select("input[name=choice]")] == ["checkbox", "checkbox"]
    empty = htmx_post(client, f"/t/{poll_id}/vote", {})
    assert empty.status_code == 422 and "Choose an option" in empty.text
    voted = htmx_post(client, f"/t/{poll_id}/vote", {"choice": ["0", "1"]})
    assert voted.status_code == 200
    results = soup(voted).select_one(".poll")
    assert len(results.select(".chosen")) == 2 and results.find("form") is None
    twice = htmx_post(client, f"/t/{poll_id}/vote", {"choice": ["0"]})
    assert twice.status_code == 422 and "already voted" in twice.text


def test_a_bad_poll_in_the_composer_comes_back_with_the_reason(
    client: TestClient, session: Session
):
    log_in(client, make_user(session))
    form = {"text": "Hm?", "poll_option": ["only one", "", "", ""], "poll_expires_in": "3600"}
    response = post_form(client, "/t", form)
    assert response.status_code == 303
    home = soup(client.get("/"))
    assert "2 to 4 options" in home.select_one("#compose-poll-error").get_text()
    assert home.select(".tweet") == []
    form |= {"poll_option": ["a", "b"], "poll_expires_in": "60"}
    htmx = htmx_post(client, "/t", form)
    assert htmx.status_code == 422 and "5 minutes to 7 days" in htmx.text


def test_cannot_vote_on_a_hidden_post(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    spec = polls.PollSpec(["a", "b"], 3600)
    hidden = crud.create_tweet(session, owner_id=ada.id, text="x", visibility="private", poll=spec)
    log_in(client, bob)
    assert post_form(client, f"/t/{hidden.id}/vote", {"choice": "0"}).status_code == 404


def test_the_author_cannot_vote_in_their_own_poll(client: TestClient, session: Session):
    """The page shows the author the results; a hand-made vote is refused as on Mastodon."""
    ada = make_user(session)
    poll_id = poll_post(session, ada)
    log_in(client, ada)
    refused = post_form(client, f"/t/{poll_id}/vote", {"choice": "0"})
    assert refused.status_code == 400 and "your own poll" in refused.text
    assert session.scalar(select(func.count()).select_from(PollVote)) == 0


def statements(client: TestClient, path: str, **kwargs: object) -> int:
    response = client.get(path, **kwargs)
    assert response.status_code == 200, response.text
    return int(response.headers[sqlcount.HEADER])


@pytest.mark.parametrize("count", [1, 6])
def test_polls_cost_one_statement_per_page_however_many(
    client: TestClient, session: Session, count: int
):
    ada, bob = make_user(session), make_user(session)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    make_tweet(session, bob, "no poll here")
    headers = token(client, ada)
    without = statements(client, "/api/v1/timelines/home", headers=headers)
    public_without = statements(client, "/api/v1/timelines/public", headers=headers)
    for i in range(count):
        poll_id = poll_post(session, bob, f"poll {i}")
        polls.vote(session, poll_id=poll_id, user_id=ada.id, choices=[i % 2])
    log_in(client, ada)
    assert statements(client, "/") == 3  # session, timeline, the page's polls
    assert len(soup(client.get("/")).select(".poll .chosen")) == count
    # Mastodon: the polls and the viewer's votes, two statements for the page; the home read
    # shares the web's card statement, which brings the votes, so the polls alone there.
    assert statements(client, "/api/v1/timelines/home", headers=headers) == without + 1
    assert statements(client, "/api/v1/timelines/public", headers=headers) == public_without + 2


def test_an_edit_that_mentions_someone_tells_them_and_shows_them_a_direct_post(
    client: TestClient, session: Session
):
    ada, bob = make_user(session), make_user(session)
    post = crud.create_tweet(session, owner_id=ada.id, text="just me", visibility="direct")
    log_in(client, bob)
    assert client.get(f"/t/{post.id}").status_code == 404
    edits.edit_post(session, tweet_id=post.id, user_id=ada.id, text=f"now @{bob.username} too")
    card = soup(client.get(f"/t/{post.id}")).select_one(".tweet-text")
    assert card.find("a")["href"] == f"/@{bob.username}"
    notes = client.get("/api/v1/notifications", headers=token(client, bob)).json()
    assert [(n["type"], n["status"]["id"]) for n in notes] == [("mention", str(post.id))]


def test_deleting_a_post_takes_its_poll_votes_and_versions(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    poll_id = poll_post(session, ada)
    polls.vote(session, poll_id=poll_id, user_id=bob.id, choices=[0])
    edits.edit_post(session, tweet_id=poll_id, user_id=ada.id, text="Tea or coffee, really?")
    crud.delete_tweet(session, tweet_id=poll_id, user_id=ada.id)
    session.expire_all()
    for table in (Poll, PollOption, PollVote, TweetEdit):
        assert session.scalar(select(func.count()).select_from(table)) == 0
    headers = token(client, bob)
    assert client.get(f"/api/v1/polls/{poll_id}", headers=headers).status_code == 404
