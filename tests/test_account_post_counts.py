"""An account's statuses_count and last_status_at, as Mastodon clients see them, come from the
counter cache on users (webapp/crud/post_counts.py): every way a post appears or goes keeps
it right, direct posts are not counted, and reading it costs the same at any number of posts.
"""

import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event, select, update
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_tweet, make_user
from tests.mastodon_helpers import token
from webapp import crud, sqlcount
from webapp.config import settings
from webapp.crud import (
    conversations,
    feeds,
    lifecycle,
    moderation,
    post_counts,
    scheduled,
    statuses,
)
from webapp.db import engine
from webapp.models import User


def shown(client: TestClient, user: User) -> tuple[int, str | None]:
    """(statuses_count, last_status_at) of the account, as GET /api/v1/accounts/:id has it."""
    account = client.get(f"/api/v1/accounts/{user.id}").json()
    return account["statuses_count"], account["last_status_at"]


def kept(session: Session, user: User) -> datetime | None:
    """The exact last_status_at behind the day the API shows."""
    return session.scalar(select(User.last_status_at).where(User.id == user.id))


def repost(session: Session, user: User, tweet_id: int) -> None:
    conversations.repost(session, user_id=user.id, tweet_id=tweet_id)


def naive_utc(moment: datetime | None) -> datetime | None:
    """SQLite gives back naive UTC, PostgreSQL an aware time: compared as naive UTC."""
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def today() -> str:
    return datetime.now(UTC).date().isoformat()


def post(client: TestClient, headers: dict[str, str], **body: str) -> dict[str, Any]:
    response = client.post("/api/v1/statuses", json=body, headers=headers)
    assert response.status_code == 200, response.text
    status: dict[str, Any] = response.json()
    return status


def test_a_new_account_has_no_posts_and_a_post_counts_and_dates_it(
    client: TestClient, session: Session
):
    ada = make_user(session)
    assert shown(client, ada) == (0, None)
    status = post(client, token(client, ada), status="hello")
    assert (status["account"]["statuses_count"], status["account"]["last_status_at"]) == (
        1,
        today(),
    )
    assert shown(client, ada) == (1, today())


def test_a_direct_post_is_not_counted_and_does_not_move_last_status_at(
    client: TestClient, session: Session
):
    ada, bob = make_user(session), make_user(session)
    headers = token(client, ada)
    post(client, headers, status="in the open")
    before = kept(session, ada)
    psst = post(client, headers, status=f"@{bob.username} psst", visibility="direct")
    assert psst["account"]["statuses_count"] == 1
    assert shown(client, ada) == (1, today())
    session.expire_all()
    assert kept(session, ada) == before


def test_a_followers_only_post_and_a_reply_count(client: TestClient, session: Session):
    ada, bob = make_user(session), make_user(session)
    question = make_tweet(session, bob, "tea?")
    headers = token(client, ada)
    post(client, headers, status="for my followers", visibility="private")
    answer = post(client, headers, status="yes please", in_reply_to_id=str(question.id))
    assert answer["account"]["statuses_count"] == 2
    assert shown(client, ada) == (2, today()) and shown(client, bob) == (1, today())


def test_a_repost_counts_for_the_reposter_and_unreposting_takes_it_back(
    client: TestClient, session: Session
):
    ada, bob = make_user(session), make_user(session)
    original = make_tweet(session, bob, "worth sharing")
    headers = token(client, ada)
    reblog = client.post(f"/api/v1/statuses/{original.id}/reblog", headers=headers).json()
    assert reblog["account"]["id"] == str(ada.id)
    assert (reblog["account"]["statuses_count"], reblog["reblog"]["account"]["statuses_count"]) == (
        1,
        1,
    )
    assert shown(client, ada) == (1, today())
    again = client.post(f"/api/v1/statuses/{original.id}/reblog", headers=headers)
    assert again.status_code == 200 and shown(client, ada) == (1, today())  # once only

    client.post(f"/api/v1/statuses/{original.id}/unreblog", headers=headers)
    assert shown(client, ada) == (0, today())  # the day of the last post stays, as on Mastodon
    assert shown(client, bob) == (1, today())


def test_deleting_posts_lowers_the_count_but_keeps_last_status_at(
    client: TestClient, session: Session
):
    ada = make_user(session)
    headers = token(client, ada)
    first, second = post(client, headers, status="one"), post(client, headers, status="two")
    assert shown(client, ada) == (2, today())
    assert client.delete(f"/api/v1/statuses/{first['id']}", headers=headers).status_code == 200
    assert shown(client, ada) == (1, today())
    client.delete(f"/api/v1/statuses/{second['id']}", headers=headers)
    assert shown(client, ada) == (0, today())
    psst = post(client, headers, status=f"@{ada.username} note to self", visibility="direct")
    client.delete(f"/api/v1/statuses/{psst['id']}", headers=headers)
    assert shown(client, ada) == (0, today())  # a direct post never counted: nothing to lower


def test_deleting_a_reposted_post_lowers_each_reposters_count(client: TestClient, session: Session):
    ada, bob, cat = make_user(session), make_user(session), make_user(session)
    original = make_tweet(session, bob, "going viral")
    make_tweet(session, ada, "ada's own")
    for reposter in (ada, cat, bob):  # bob reposts himself too: his count holds both
        repost(session, reposter, original.id)
    assert [shown(client, u)[0] for u in (ada, bob, cat)] == [2, 2, 1]
    crud.follow(session, follower_id=cat.id, followee_id=ada.id)
    cat_headers = token(client, cat)
    home = client.get("/api/v1/timelines/home", headers=cat_headers).json()
    assert {s["account"]["id"]: s["account"]["statuses_count"] for s in home} == {
        str(ada.id): 2,
        str(cat.id): 1,
    }

    gone = client.delete(f"/api/v1/statuses/{original.id}", headers=token(client, bob))
    assert gone.status_code == 200
    assert [shown(client, u)[0] for u in (ada, bob, cat)] == [1, 0, 0]
    home = client.get("/api/v1/timelines/home", headers=cat_headers).json()
    assert [(s["account"]["id"], s["account"]["statuses_count"]) for s in home] == [
        (str(ada.id), 1)
    ]


def test_deleting_a_repost_by_its_id_lowers_the_reposters_count(
    client: TestClient, session: Session
):
    ada, bob = make_user(session), make_user(session)
    original = make_tweet(session, bob, "shared")
    headers = token(client, ada)
    reblog = client.post(f"/api/v1/statuses/{original.id}/reblog", headers=headers).json()
    assert client.delete(f"/api/v1/statuses/{reblog['id']}", headers=headers).status_code == 200
    assert shown(client, ada) == (0, today()) and shown(client, bob) == (1, today())


def test_deleting_an_account_lowers_the_counts_of_those_who_reposted_its_posts(
    client: TestClient, session: Session
):
    ada, bob, cat = make_user(session), make_user(session), make_user(session)
    first, second = make_tweet(session, bob, "first"), make_tweet(session, bob, "second")
    mine = make_tweet(session, ada, "ada's own")
    for tweet in (first, second):
        repost(session, ada, tweet.id)
    repost(session, cat, second.id)
    repost(session, bob, mine.id)  # bob's repost of ada's goes with bob
    crud.create_tweet(session, owner_id=cat.id, text="a reply", in_reply_to_id=first.id)
    assert [shown(client, u)[0] for u in (ada, bob, cat)] == [3, 3, 2]

    lifecycle.delete_account(session, user_id=bob.id, password=PASSWORD)
    assert shown(client, ada) == (1, today())  # two reposts gone: two fewer
    assert shown(client, cat) == (1, today())  # the reply stays, the repost went


def test_a_scheduled_post_counts_once_it_is_published(client: TestClient, session: Session):
    ada = make_user(session)
    at = datetime.now(UTC) + timedelta(hours=1)
    made = client.post(
        "/api/v1/statuses",
        json={"status": "later", "scheduled_at": at.isoformat()},
        headers=token(client, ada),
    )
    assert made.status_code == 200, made.text
    assert shown(client, ada) == (0, None)  # waiting is not posting
    [tweet_id] = scheduled.publish_due(session, now=at + timedelta(minutes=1))
    assert shown(client, ada) == (1, today())
    status = client.get(f"/api/v1/statuses/{tweet_id}").json()
    assert status["account"]["statuses_count"] == 1


def test_an_admin_removing_a_post_lowers_its_authors_and_reposters_counts(
    client: TestClient, session: Session
):
    root, ada, bob = make_user(session), make_user(session), make_user(session)
    root.is_admin = True
    session.commit()
    spam, kept_post = make_tweet(session, ada, "spam"), make_tweet(session, ada, "fine")
    repost(session, bob, spam.id)
    moderation.delete_post(session, admin=root, tweet_id=spam.id)
    assert shown(client, ada) == (1, today()) and shown(client, bob) == (0, today())
    assert client.get(f"/api/v1/statuses/{kept_post.id}").json()["account"]["statuses_count"] == 1


def test_recount_sets_the_counts_of_the_accounts_picked_from_their_posts(session: Session):
    """What the seeder and the bench call after writing posts without crud."""
    ada, bob = make_user(session), make_user(session)
    make_tweet(session, ada, "one")
    newest = make_tweet(session, ada, "two")
    session.execute(update(User).values(statuses_count=7, last_status_at=None))
    post_counts.recount_posts(session, only=User.id == ada.id)
    session.commit()
    session.expire_all()
    assert ada.statuses_count == 2
    assert naive_utc(ada.last_status_at) == naive_utc(newest.created_at)
    assert (bob.statuses_count, bob.last_status_at) == (7, None)  # not picked: left alone


# --- The cost: flat in the number of posts.


@contextmanager
def sql_statements() -> Iterator[list[str]]:
    """Every statement the engine sends inside the block (the app's too, under TestClient)."""
    sent: list[str] = []

    def record(_conn: Any, _cursor: Any, statement: str, *_rest: Any) -> None:
        sent.append(statement)

    event.listen(engine, "before_cursor_execute", record)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", record)


def counts_posts(statement: str) -> bool:
    flat = " ".join(statement.lower().split())
    return "count(" in flat and re.search(r"\bfrom tweets\b", flat) is not None


def test_account_stats_reads_no_tweets(session: Session):
    ada, bob, cat = make_user(session), make_user(session), make_user(session)
    for n in range(5):
        make_tweet(session, ada, f"post {n}")
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    crud.follow(session, follower_id=cat.id, followee_id=ada.id)
    with sql_statements() as sent:
        stats = statuses.account_stats(session, [ada.id, bob.id])
    assert (stats[ada.id].statuses, stats[bob.id].statuses) == (5, 0)
    assert stats[ada.id].last_status_at is not None and stats[bob.id].last_status_at is None
    assert (stats[ada.id].followers, stats[ada.id].following) == (2, 0)
    assert (stats[bob.id].followers, stats[bob.id].following) == (0, 1)
    assert len(sent) == 1  # the kept counts and both follow counts, for the whole page
    assert not [s for s in sent if re.search(r"\btweets\b", s.lower())]


def _home_statements(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch, posts: int
) -> tuple[int, list[str]]:
    """ada follows bob and cat, who wrote `posts` posts each: what her home page costs."""
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada, bob, cat = make_user(session), make_user(session), make_user(session)
    for author in (bob, cat):
        crud.follow(session, follower_id=ada.id, followee_id=author.id)
    for n in range(posts):  # taking turns, so both are on the first page
        for author in (bob, cat):
            make_tweet(session, author, f"{author.username} {n}")
    if feeds.kept(session):  # PostgreSQL: ada's home feed is kept (webapp/crud/feeds.py)
        feeds.rebuild(session, ada.id)
    headers = token(client, ada)
    with sql_statements() as sent:
        page = client.get("/api/v1/timelines/home", headers=headers)
    assert page.status_code == 200
    counts = {s["account"]["id"]: s["account"]["statuses_count"] for s in page.json()}
    assert counts == {str(bob.id): posts, str(cat.id): posts}
    return int(page.headers[sqlcount.HEADER]), sent


def test_the_home_timeline_costs_the_same_at_1_and_30_posts_per_author(
    client: TestClient, session: Session, monkeypatch: pytest.MonkeyPatch
):
    few, few_sent = _home_statements(client, session, monkeypatch, 1)
    many, many_sent = _home_statements(client, session, monkeypatch, 30)
    assert few == many
    assert not [s for s in few_sent + many_sent if counts_posts(s)]
