"""Replies, threads, reposts and quotes, as people use them on the web without JavaScript
(plain form posts that answer 303), and the rules behind them in crud."""

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.web import HTMX, htmx_post, log_in, post_form, soup
from webapp import crud
from webapp.crud import conversations
from webapp.main import app


def cards(client: TestClient, path: str) -> list[Any]:
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return list(soup(response).select("article.tweet"))


def text_of(card: Any) -> str:
    return str(card.select_one(".tweet-text").get_text())


def thread_texts(client: TestClient, path: str) -> dict[str, list[str]]:
    page = soup(client.get(path))
    return {
        part: [p.get_text() for p in page.select(f"section.{part} article.tweet .tweet-text")]
        for part in ("ancestors", "single", "replies")
    }


def test_two_people_hold_a_three_level_conversation_without_javascript(session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    with TestClient(app) as ada_browser, TestClient(app) as bob_browser:
        log_in(ada_browser, ada)
        log_in(bob_browser, bob)
        assert post_form(ada_browser, "/t", {"text": "tea or coffee?"}).status_code == 303
        first = text_of(cards(ada_browser, "/@ada")[0])
        root = crud.list_user_tweets(session, ada.id)[0].id
        assert first == "tea or coffee?"

        # bob opens Reply: a page of its own, the box prefilled with @ada
        reply_page = soup(bob_browser.get(f"/t/{root}/reply"))
        assert reply_page.select_one("textarea[name=text]").get_text() == "@ada "
        sent = post_form(bob_browser, "/t", {"text": "@ada tea", "in_reply_to_id": root})
        assert sent.status_code == 303 and sent.headers["location"] == f"/t/{root}"
        second = crud.list_user_tweets(session, bob.id)[0].id

        answer = {"text": "@bob green or black?", "in_reply_to_id": second}
        assert post_form(ada_browser, "/t", answer).status_code == 303
        third = crud.list_user_tweets(session, ada.id)[-1].id

        shown = thread_texts(bob_browser, f"/t/{third}")
        assert shown["ancestors"] == ["tea or coffee?", "@ada tea"]
        assert shown["single"] == ["@bob green or black?"]
        middle = thread_texts(bob_browser, f"/t/{second}")
        assert middle == {
            "ancestors": ["tea or coffee?"],
            "single": ["@ada tea"],
            "replies": ["@bob green or black?"],
        }
        card = cards(bob_browser, f"/t/{third}")[-1]
        assert card.select_one(".replying-to").get_text(" ", strip=True) == "Replying to @bob"
        root_card = cards(ada_browser, f"/t/{root}")[0]
        assert root_card.select_one("a.reply .count").get_text() == "1"


def test_the_author_follow_ups_come_first_then_replies_page_by_cursor(
    session: Session, client: TestClient
):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    root = make_tweet(session, ada, "root")
    for i in range(22):
        crud.create_tweet(session, owner_id=bob.id, text=f"bob {i}", in_reply_to_id=root.id)
    crud.create_tweet(session, owner_id=ada.id, text="ada follow-up", in_reply_to_id=root.id)
    page = soup(client.get(f"/t/{root.id}"))
    first = [p.get_text() for p in page.select("section.replies .tweet-text")]
    assert first == ["ada follow-up"] + [f"bob {i}" for i in range(19)]
    more = page.select_one("section.replies a.more")["href"]
    rest = client.get(more, headers=HTMX)
    later = [p.get_text() for p in soup(rest).select(".tweet-text")]
    assert later == ["bob 19", "bob 20", "bob 21"]
    assert soup(rest).select_one("a.more") is None


def test_a_page_of_replies_that_ends_among_the_author_follow_ups_goes_on_from_there(
    session: Session, client: TestClient
):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    root = make_tweet(session, ada, "root")
    crud.create_tweet(session, owner_id=bob.id, text="bob early", in_reply_to_id=root.id)
    for i in range(21):
        crud.create_tweet(session, owner_id=ada.id, text=f"ada {i}", in_reply_to_id=root.id)
    crud.create_tweet(session, owner_id=bob.id, text="bob late", in_reply_to_id=root.id)
    log_in(client, bob)  # a signed-in reader and a visitor page the same way
    for reader in (client, TestClient(client.app)):
        page = soup(reader.get(f"/t/{root.id}"))
        first = [p.get_text() for p in page.select("section.replies .tweet-text")]
        assert first == [f"ada {i}" for i in range(20)]
        rest = reader.get(page.select_one("section.replies a.more")["href"], headers=HTMX)
        later = [p.get_text() for p in soup(rest).select(".tweet-text")]
        assert later == ["ada 20", "bob early", "bob late"]


def test_a_deleted_post_leaves_a_placeholder_and_its_replies_readable(
    session: Session, client: TestClient
):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    root = make_tweet(session, ada, "soon gone")
    reply = crud.create_tweet(session, owner_id=bob.id, text="still here", in_reply_to_id=root.id)
    crud.delete_tweet(session, tweet_id=root.id, user_id=ada.id)
    page = soup(client.get(f"/t/{reply.id}"))
    assert page.select_one(".deleted-post").get_text() == "This post was deleted."
    assert [p.get_text() for p in page.select(".tweet-text")] == ["still here"]
    assert "Replying to @ada" in page.select_one(".replying-to").get_text(" ", strip=True)


def test_deleting_a_reply_takes_it_off_the_count(session: Session):
    ada, bob = make_user(session), make_user(session)
    root = make_tweet(session, ada, "root")
    reply = crud.create_tweet(session, owner_id=bob.id, text="hi", in_reply_to_id=root.id)
    assert crud.get_tweet(session, root.id).reply_count == 1
    crud.delete_tweet(session, tweet_id=reply.id, user_id=bob.id)
    session.expire_all()
    assert crud.get_tweet(session, root.id).reply_count == 0


def test_a_repost_reaches_followers_once_and_undo_takes_it_back(session: Session):
    ada, bob, cara = make_user(session, "ada"), make_user(session, "bob"), make_user(session)
    crud.follow(session, follower_id=cara.id, followee_id=bob.id)
    post = make_tweet(session, ada, "worth sharing")
    with TestClient(app) as bob_browser, TestClient(app) as cara_browser:
        log_in(bob_browser, bob)
        log_in(cara_browser, cara)
        for _ in range(2):  # twice: the second changes nothing
            assert post_form(bob_browser, f"/t/{post.id}/repost").status_code == 303
        home = cards(cara_browser, "/")
        assert [text_of(c) for c in home] == ["worth sharing"]
        assert home[0].select_one(".reposted-by").get_text(" ", strip=True) == "⟲ @bob reposted"
        assert home[0].select_one("form.repost .count").get_text() == "1"
        mine = cards(bob_browser, "/@bob")[0]
        assert mine.select_one("form.repost button")["aria-pressed"] == "true"

        assert post_form(bob_browser, f"/t/{post.id}/unrepost").status_code == 303
        assert cards(cara_browser, "/") == []
        again = cards(bob_browser, f"/t/{post.id}")[0]
        assert again.select_one("form.repost .count").get_text() == "0"


def test_reposts_by_two_followees_show_the_post_once(session: Session, client: TestClient):
    ada, bob, cara, dan = (make_user(session) for _ in range(4))
    for followee in (bob, cara):
        crud.follow(session, follower_id=dan.id, followee_id=followee.id)
    post = make_tweet(session, ada, "popular")
    for who in (bob, cara):
        conversations.repost(session, user_id=who.id, tweet_id=post.id)
    log_in(client, dan)
    assert [text_of(c) for c in cards(client, "/")] == ["popular"]


def test_deleting_the_original_removes_its_reposts(session: Session, client: TestClient):
    ada, bob, cara = make_user(session), make_user(session), make_user(session)
    crud.follow(session, follower_id=cara.id, followee_id=bob.id)
    post = make_tweet(session, ada, "short-lived")
    conversations.repost(session, user_id=bob.id, tweet_id=post.id)
    crud.delete_tweet(session, tweet_id=post.id, user_id=ada.id)
    log_in(client, cara)
    assert cards(client, "/") == []
    assert crud.list_user_tweets(session, bob.id) == []


def test_only_public_and_unlisted_posts_can_be_reposted(session: Session, client: TestClient):
    ada, fay = make_user(session, "ada"), make_user(session, "fay")
    crud.follow(session, follower_id=fay.id, followee_id=ada.id)
    private = crud.create_tweet(session, owner_id=ada.id, text="inner", visibility="private")
    with pytest.raises(crud.DomainError):
        conversations.repost(session, user_id=fay.id, tweet_id=private.id)
    log_in(client, fay)
    card = cards(client, "/")[0]
    assert card.select_one("form.repost") is None and card.select_one("a.quote") is None
    refused = post_form(client, f"/t/{private.id}/repost")
    assert refused.status_code == 400
    assert "Only public and unlisted posts can be reposted" in refused.text


def test_a_quote_embeds_the_post_and_hides_it_from_who_may_not_see_it(session: Session):
    ada, bob, sam = make_user(session, "ada"), make_user(session, "bob"), make_user(session)
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    public = make_tweet(session, ada, "a public thought")
    private = crud.create_tweet(session, owner_id=ada.id, text="for friends", visibility="private")
    with TestClient(app) as bob_browser, TestClient(app) as sam_browser:
        log_in(bob_browser, bob)
        log_in(sam_browser, sam)
        quote_page = soup(bob_browser.get(f"/t/{public.id}/quote"))
        assert quote_page.select_one("input[name=quote_of_id]")["value"] == str(public.id)
        sent = post_form(bob_browser, "/t", {"text": "so true", "quote_of_id": public.id})
        assert sent.status_code == 303
        # bob may quote the followers-only post (he follows ada); sam must never read it
        crud.create_tweet(session, owner_id=bob.id, text="wow", quote_of_id=private.id)
        for browser in (bob_browser, sam_browser):
            quoting = {text_of(c): c for c in cards(browser, "/@" + bob.username)}
            embed = quoting["so true"].select_one("a.quoted")
            assert embed["href"] == f"/t/{public.id}"
            assert embed.select_one(".quoted-text").get_text() == "a public thought"
        assert cards(bob_browser, "/@bob")[0].select_one(".quoted-text").get_text() == "for friends"
        hidden = cards(sam_browser, "/@bob")[0]
        assert hidden.select_one(".quoted-text") is None
        assert hidden.select_one(".quoted.unavailable").get_text() == "This post is unavailable."
        assert "for friends" not in sam_browser.get("/@bob").text


def test_a_reply_box_opens_in_place_and_posts_in_place(session: Session, client: TestClient):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    post = make_tweet(session, ada, "hello @bob and @cara")  # cara does not exist
    log_in(client, bob)
    box = client.get(f"/t/{post.id}/reply", headers=HTMX)
    form = soup(box).select_one("form.reply-compose")
    assert form is not None and soup(box).select_one("html") is None  # just the fragment
    assert form.select_one("textarea").get_text() == "@ada "
    posted = htmx_post(client, "/t", {"text": "@ada hi", "in_reply_to_id": str(post.id)})
    assert posted.status_code == 200
    assert [p.get_text() for p in soup(posted).select(".tweet-text")] == ["@ada hi"]
    empty = htmx_post(client, "/t", {"text": " ", "in_reply_to_id": str(post.id)})
    assert empty.status_code == 422
    assert soup(empty).select_one("form.reply-compose .field-error") is not None


def test_visibility_is_chosen_in_the_composer(session: Session, client: TestClient):
    ada = make_user(session, "ada")
    log_in(client, ada)
    labels = [
        o.get_text()
        for o in soup(client.get("/")).select("#compose select[name=visibility] option")
    ]
    assert labels == ["Public", "Unlisted", "Followers only", "Mentioned people only"]
    assert post_form(client, "/t", {"text": "quiet", "visibility": "unlisted"}).status_code == 303
    assert crud.list_user_tweets(session, ada.id)[0].visibility == "unlisted"
    bad = post_form(client, "/t", {"text": "odd", "visibility": "friends"})
    assert bad.status_code == 303 and len(crud.list_user_tweets(session, ada.id)) == 1
    home = soup(client.get(bad.headers["location"]))  # post/redirect/get, the text kept
    assert "Choose who can see it" in home.select_one("#compose-visibility-error").get_text()
    assert home.select_one("#compose-text").get_text() == "odd"


def test_a_mention_of_nobody_stays_plain_text(session: Session, client: TestClient):
    make_user(session, "bob")
    ada = make_user(session, "ada")
    make_tweet(session, ada, "hi @bob and @ghost")
    links = [a.get_text() for a in cards(client, "/@ada")[0].select(".tweet-text a")]
    assert links == ["@bob"]


def test_profile_tabs_split_posts_and_replies(session: Session, client: TestClient):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    root = make_tweet(session, bob, "question")
    make_tweet(session, ada, "a post")
    crud.create_tweet(session, owner_id=ada.id, text="an answer", in_reply_to_id=root.id)
    assert [text_of(c) for c in cards(client, "/@ada")] == ["a post"]
    assert [text_of(c) for c in cards(client, "/@ada/replies")] == ["an answer", "a post"]


def test_followers_like_and_the_author_deletes_a_followers_only_post(session: Session):
    ada, fay = make_user(session, "ada"), make_user(session, "fay")
    crud.follow(session, follower_id=fay.id, followee_id=ada.id)
    private = crud.create_tweet(session, owner_id=ada.id, text="inner", visibility="private")
    with TestClient(app) as ada_browser, TestClient(app) as fay_browser:
        log_in(ada_browser, ada)
        log_in(fay_browser, fay)
        liked = htmx_post(fay_browser, f"/t/{private.id}/like")
        assert liked.status_code == 200
        assert soup(liked).select_one("button")["aria-pressed"] == "true"
        assert ada_browser.get(f"/t/{private.id}/delete").status_code == 200
        assert post_form(ada_browser, f"/t/{private.id}/delete").status_code == 303
        assert fay_browser.get(f"/t/{private.id}").status_code == 404


def test_home_shows_replies_to_people_you_follow_and_your_own(session: Session):
    ada, bob, cara, sam = (make_user(session, n) for n in ("ada", "bob", "cara", "sam"))
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    crud.follow(session, follower_id=ada.id, followee_id=cara.id)
    to_cara = make_tweet(session, cara, "cara asks")
    to_sam = make_tweet(session, sam, "sam asks")
    crud.create_tweet(session, owner_id=bob.id, text="bob to cara", in_reply_to_id=to_cara.id)
    crud.create_tweet(session, owner_id=bob.id, text="bob to sam", in_reply_to_id=to_sam.id)
    crud.create_tweet(session, owner_id=ada.id, text="ada to sam", in_reply_to_id=to_sam.id)
    with TestClient(app) as client:
        log_in(client, ada)
        shown = [text_of(c) for c in cards(client, "/")]
    assert shown == ["ada to sam", "bob to cara", "cara asks"]
