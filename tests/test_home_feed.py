"""The home timeline equals its definition after any sequence of follows, unfollows, posts,
replies, deletes, reposts, blocks and mutes: the posts of the people one follows and one's
own, newest first, that one may see (visibility, suspension, blocks either way), by or of
no one one mutes, and that are not others' side conversations.

On PostgreSQL the timeline is read from per-person home feeds kept as things happen
(webapp/crud/feeds.py), with jobs for big followings and cold feeds (webapp/jobs.py); the
same random stories run with tiny feeds so that trims, floors and the fallback beneath a
floor are all crossed, and a feed rebuilt from scratch must hold what the kept one holds.
On SQLite the timeline is one query, held to the same definition.
"""

import random
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session

from tests.factories import make_user
from tests.web import log_in
from webapp import crud, jobs, sqlcount
from webapp.config import settings
from webapp.crud import blocks, conversations, feeds, timelines
from webapp.crud.errors import DomainError
from webapp.models import Block, Follow, HomeFeed, Mention, Mute, Tweet, User

VISIBILITIES = ["public", "public", "unlisted", "private", "direct"]


def expected_home(session: Session, viewer: int) -> list[int]:
    """The definition, computed in Python from the rows: ids newest first."""
    follows = {(f.follower_id, f.followee_id) for f in session.scalars(select(Follow))}
    mentions = {(m.tweet_id, m.user_id) for m in session.scalars(select(Mention))}
    suspended = set(session.scalars(select(User.id).where(User.suspended_at.is_not(None))))
    tweets = session.scalars(select(Tweet).order_by(Tweet.id.desc())).all()
    owner = {t.id: t.owner_id for t in tweets}
    blocks = {(b.blocker_id, b.blocked_id) for b in session.scalars(select(Block))}
    muted = {m.muted_id for m in session.scalars(select(Mute).where(Mute.muter_id == viewer))}

    def authors(t: Tweet) -> set[int]:
        """The post's author and, for a repost, the original's."""
        return {t.owner_id} | ({owner[t.repost_of_id]} if t.repost_of_id in owner else set())

    def sees(t: Tweet) -> bool:
        if t.owner_id in suspended:
            return False
        if any((viewer, a) in blocks or (a, viewer) in blocks for a in authors(t)):
            return False
        if authors(t) & muted:
            return False
        return (
            t.visibility in ("public", "unlisted")
            or t.owner_id == viewer
            or (t.visibility == "private" and (viewer, t.owner_id) in follows)
            or (t.visibility == "direct" and (t.id, viewer) in mentions)
        )

    def for_me(t: Tweet) -> bool:
        to = t.in_reply_to_user_id
        return to is None or to == viewer or t.owner_id == viewer or (viewer, to) in follows

    mine = [t for t in tweets if t.owner_id == viewer or (viewer, t.owner_id) in follows]
    return [t.id for t in mine if sees(t) and for_me(t)]


def pages_of(ids: list[int], originals: dict[int, int], limit: int) -> list[list[int]]:
    """Pages as the timeline shows them: `limit` rows each, a post once per page."""
    pages = []
    for start in range(0, len(ids), limit):
        seen: set[int] = set()
        page = []
        for i in ids[start : start + limit]:
            shown = originals.get(i, i)
            if shown not in seen:
                seen.add(shown)
                page.append(i)
        pages.append(page)
    return pages


def walked(session: Session, viewer: int, limit: int) -> list[list[int]]:
    """Every page of the viewer's home timeline, following the cursor, as a request would
    (the signed-in user loaded first: the feed's floor comes with it)."""
    session.expire_all()
    me = session.get(User, viewer)
    assert me is not None
    pages, before = [], None
    while True:
        page = timelines.home_timeline(session, user_id=viewer, before=before, limit=limit)
        pages.append([t.id for t in page.tweets])
        if page.next_before is None:
            return [p for p in pages if p]
        before = page.next_before


def check_everyone(session: Session, people: list[User], limit: int = 5) -> None:
    originals = {
        t.id: t.repost_of_id
        for t in session.scalars(select(Tweet).where(Tweet.repost_of_id.is_not(None)))
        if t.repost_of_id is not None
    }
    for person in people:
        want = pages_of(expected_home(session, person.id), originals, limit)
        assert walked(session, person.id, limit) == want, f"@{person.username}"


def random_story(session: Session, people: list[User], rng: random.Random, steps: int) -> None:
    ids = [p.id for p in people]
    handles = [p.username for p in people]
    for _ in range(steps):
        me, other = rng.sample(ids, 2)
        roll = rng.random()
        posts = list(session.scalars(select(Tweet.id).where(Tweet.repost_of_id.is_(None))))
        try:
            if roll < 0.25:
                crud.follow(session, follower_id=me, followee_id=other)
            elif roll < 0.35:
                crud.unfollow(session, follower_id=me, followee_id=other)
            elif roll < 0.75:
                reply_to = rng.choice(posts) if posts and rng.random() < 0.4 else None
                text = f"post {rng.random():.6f}"
                if rng.random() < 0.4:
                    text += f" @{rng.choice(handles)}"
                conversations.post(
                    session,
                    owner_id=me,
                    text=text,
                    visibility=rng.choice(VISIBILITIES),
                    in_reply_to_id=reply_to,
                )
            elif roll < 0.85 and posts:
                conversations.repost(session, user_id=me, tweet_id=rng.choice(posts))
            elif roll < 0.88:
                blocks.block(session, blocker_id=me, blocked_id=other)
            elif roll < 0.90:
                blocks.unblock(session, blocker_id=me, blocked_id=other)
            elif roll < 0.92:
                blocks.mute(session, muter_id=me, muted_id=other, duration=None)
            else:
                own = list(session.scalars(select(Tweet.id).where(Tweet.owner_id == me)))
                if own:
                    conversations.delete_post(session, tweet_id=rng.choice(own), user_id=me)
        except DomainError:  # replying to or reposting what one may not see: refused
            session.rollback()


@pytest.fixture
def tiny_feeds(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Feeds of 6 posts, trimmed past 9: stories of a hundred posts cross every boundary."""
    monkeypatch.setattr(feeds, "FEED_DEPTH", 6)
    monkeypatch.setattr(feeds, "TRIM_SLACK", 3)
    yield


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_home_timeline_equals_its_definition_after_a_random_story(
    session: Session, tiny_feeds: None, monkeypatch: pytest.MonkeyPatch, seed: int
):
    rng = random.Random(seed)
    people = [make_user(session) for _ in range(6)]
    monkeypatch.setattr(settings, "feed_inline_fanout", rng.choice([0, 2, 100]))
    random_story(session, people, rng, 60)
    _settle(session)
    check_everyone(session, people)
    random_story(session, people, rng, 60)  # again, over trimmed feeds and raised floors
    _settle(session)
    check_everyone(session, people)


def _settle(session: Session) -> None:
    """What a worker would have done by now (PostgreSQL): queued fan-outs, then a trim."""
    if feeds.kept(session):
        jobs.run_pending()
        jobs.trim_all()


postgres_only = pytest.mark.postgres_only


@postgres_only
@pytest.mark.parametrize("seed", [4, 5])
def test_a_feed_rebuilt_from_scratch_holds_what_the_kept_one_holds(
    session: Session, tiny_feeds: None, seed: int
):
    rng = random.Random(seed)
    people = [make_user(session) for _ in range(6)]
    random_story(session, people, rng, 120)
    _settle(session)
    for person in people:
        kept, kept_floor = _feed(session, person.id)
        feeds.rebuild(session, person.id)
        rebuilt, rebuilt_floor = _feed(session, person.id)
        above = max(kept_floor, rebuilt_floor)
        assert {i for i in kept if i > above} == {i for i in rebuilt if i > above}
    check_everyone(session, people)


def _feed(session: Session, user_id: int) -> tuple[set[int], int]:
    """The feed's rows of posts that still exist, and its floor."""
    rows = select(HomeFeed.tweet_id).join(Tweet, Tweet.id == HomeFeed.tweet_id)
    ids = set(session.scalars(rows.where(HomeFeed.user_id == user_id)))
    floor = session.scalar(select(User.feed_floor).where(User.id == user_id))
    assert floor is not None and floor >= 0
    return ids, floor


@postgres_only
def test_a_big_following_gets_the_post_from_the_job_after_the_reply(
    session: Session, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(settings, "feed_inline_fanout", 2)
    star = make_user(session)
    fans = [make_user(session) for _ in range(3)]
    for fan in fans:
        crud.follow(session, follower_id=fan.id, followee_id=star.id)
    post = conversations.post(session, owner_id=star.id, text="to many")
    assert _feed(session, star.id)[0] == {post.id}  # the author's own, at once
    assert all(post.id not in _feed(session, fan.id)[0] for fan in fans)  # the rest: queued
    jobs.run_pending()
    for fan in fans:
        assert post.id in _feed(session, fan.id)[0]
        assert walked(session, fan.id, 20) == [[post.id]]


@postgres_only
def test_a_cold_feed_is_read_from_the_posts_then_kept_by_a_job(session: Session):
    ada, bob = make_user(session), make_user(session)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    posts = [conversations.post(session, owner_id=bob.id, text=f"p{i}").id for i in range(8)]
    session.execute(update(User).where(User.id == ada.id).values(feed_floor=None))  # as seeded
    session.execute(delete(HomeFeed).where(HomeFeed.user_id == ada.id))
    session.commit()
    assert walked(session, ada.id, 5) == [posts[:2:-1], posts[2::-1]]  # from the posts
    session.commit()  # a page's reads run in autocommit: its request for a feed is committed
    walked(session, ada.id, 5)  # asking again while the job waits queues nothing more
    session.commit()
    queued = text("SELECT count(*) FROM procrastinate_jobs WHERE task_name = 'keep_feed'")
    assert session.scalar(queued) == 1
    assert session.scalar(select(User.feed_floor).where(User.id == ada.id)) is None
    jobs.run_pending()
    kept, floor = _feed(session, ada.id)
    assert kept == set(posts) and floor == 0
    assert walked(session, ada.id, 5) == [posts[:2:-1], posts[2::-1]]  # from the feed


@postgres_only
def test_unfollow_takes_their_posts_out_and_follow_brings_recent_ones_in(session: Session):
    ada, bob = make_user(session), make_user(session)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    older = conversations.post(session, owner_id=bob.id, text="before").id
    assert _feed(session, ada.id)[0] == {older}
    crud.unfollow(session, follower_id=ada.id, followee_id=bob.id)
    assert _feed(session, ada.id)[0] == set()
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    assert _feed(session, ada.id)[0] == {older}
    assert walked(session, ada.id, 20) == [[older]]


@postgres_only
def test_a_cold_feeds_home_page_costs_at_most_three_statements(
    session: Session, client: TestClient, monkeypatch: pytest.MonkeyPatch
):
    """A person whose feed is not kept yet (seeded, or from before migration 0016): the page
    asks for the feed (one insert into the job queue, refused by its lock the second time)
    and reads the posts meanwhile."""
    monkeypatch.setattr(settings, "sql_count_header", True)
    ada, bob = make_user(session), make_user(session)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    conversations.post(session, owner_id=bob.id, text="before the feed")
    session.execute(update(User).where(User.id == ada.id).values(feed_floor=None))
    session.commit()
    log_in(client, ada)
    for _ in range(2):
        page = client.get("/")
        assert "before the feed" in page.text
        assert int(page.headers[sqlcount.HEADER]) == 3  # session, ask for the feed, the posts
    jobs.run_pending()
    page = client.get("/")
    assert "before the feed" in page.text and int(page.headers[sqlcount.HEADER]) == 2
