"""The data generator: a realistic shape, consistent counts, and it never clobbers data."""

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from tests.factories import make_user
from webapp import crud
from webapp.cli import main
from webapp.db import engine
from webapp.models import Follow, Like, Mention, Tweet, User
from webapp.seeding import PASSWORD, NotEmpty, seed


def count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_seed_fills_every_table_with_consistent_likes(session: Session):
    counts = seed(engine, users=60, tweets=600, likes=300, progress=False)
    assert (count(session, User), count(session, Tweet), count(session, Like)) == (60, 600, 300)
    assert count(session, Follow) == counts.follows > 60
    # like_count is exactly the number of like rows, for every tweet
    likes_per_tweet = (
        select(Tweet.id, Tweet.like_count, func.count(Like.id).label("rows"))
        .outerjoin(Like, Like.tweet_id == Tweet.id)
        .group_by(Tweet.id, Tweet.like_count)
        .subquery()
    )
    mismatched = select(func.count()).where(likes_per_tweet.c.like_count != likes_per_tweet.c.rows)
    assert session.scalar(mismatched) == 0


def test_seeded_follow_graph_is_skewed_and_has_silent_followers(session: Session):
    seed(engine, users=200, tweets=2000, progress=False)
    followers = func.count().label("n")
    per_followee = session.execute(
        select(Follow.followee_id, followers)
        .group_by(Follow.followee_id)
        .order_by(followers.desc())
    ).all()
    # the best-followed account has many times the followers of the median one
    assert per_followee[0].n >= 5 * per_followee[len(per_followee) // 2].n
    posters = select(Tweet.owner_id).distinct()
    follows_a_poster = select(Follow.follower_id).where(Follow.followee_id.in_(posters))
    silent_only = select(func.count(func.distinct(Follow.follower_id))).where(
        Follow.follower_id.not_in(follows_a_poster)
    )
    assert (session.scalar(silent_only) or 0) >= 1
    oldest, newest = session.execute(
        select(func.min(Tweet.created_at), func.max(Tweet.created_at))
    ).one()
    assert (newest - oldest).days > 300


def test_seeded_accounts_can_log_in_and_new_rows_get_fresh_ids(session: Session):
    seed(engine, users=5, tweets=20, progress=False)
    user = crud.authenticate(session, email="user3@example.com", password=PASSWORD)
    assert user is not None and user.id == 3
    # past every seeded id (ids are never reused, so it may be past older rows' ids too)
    assert crud.create_tweet(session, owner_id=3, text="after the seed").id > 20


def test_seed_refuses_a_database_with_users_unless_reset(session: Session):
    make_user(session, "ada")
    with pytest.raises(NotEmpty):
        seed(engine, users=5, tweets=10, progress=False)
    assert (
        main(
            [
                "seed",
                "--users",
                "5",
                "--tweets",
                "10",
                "--database-url",
                str(engine.url.render_as_string(hide_password=False)),
            ]
        )
        == 2
    )
    seed(engine, users=5, tweets=10, reset=True, progress=False)
    assert count(session, User) == 5
    assert crud.get_user_by_username(session, "user1").email == "user1@example.com"


def test_cli_seeds_and_shows_progress(capsys: pytest.CaptureFixture[str]):
    url = engine.url.render_as_string(hide_password=False)
    assert main(["seed", "--users", "10", "--tweets", "100", "--database-url", url]) == 0
    out, err = capsys.readouterr()
    assert "Seeded 10 users" in out and "100 tweets" in out
    assert "tweets 100/100 (100%)" in err


def test_seeded_conversations_have_consistent_counts_and_every_visibility(session: Session):
    seed(engine, users=80, tweets=3000, progress=False)
    parent = aliased(Tweet)
    replies = (
        select(func.count())
        .select_from(Tweet)
        .where(Tweet.in_reply_to_id.is_not(None), Tweet.visibility.in_(["public", "unlisted"]))
    )
    reposts = select(func.count()).select_from(Tweet).where(Tweet.repost_of_id.is_not(None))
    reply_count = session.scalar(select(func.sum(Tweet.reply_count))) or 0
    repost_count = session.scalar(select(func.sum(Tweet.repost_count))) or 0
    assert session.scalar(replies) == reply_count and reply_count > 100
    assert session.scalar(reposts) == repost_count and repost_count > 50
    kinds = set(session.scalars(select(Tweet.visibility).distinct()))
    assert kinds == {"public", "unlisted", "private", "direct"}
    # a repost is of an open post and has no text; a reply names its parent's author
    bad_reposts = (
        select(func.count())
        .select_from(Tweet)
        .join(parent, parent.id == Tweet.repost_of_id)
        .where((parent.visibility.not_in(["public", "unlisted"])) | (Tweet.text != ""))
    )
    assert session.scalar(bad_reposts) == 0
    wrong_author = (
        select(func.count())
        .select_from(Tweet)
        .join(parent, parent.id == Tweet.in_reply_to_id)
        .where(parent.owner_id != Tweet.in_reply_to_user_id)
    )
    assert session.scalar(wrong_author) == 0
    # every reply mentions the author it answers, so its @handle links on the card
    unmentioned = (
        select(func.count())
        .select_from(Tweet)
        .outerjoin(
            Mention,
            (Mention.tweet_id == Tweet.id) & (Mention.user_id == Tweet.in_reply_to_user_id),
        )
        .where(Tweet.in_reply_to_id.is_not(None), Mention.tweet_id.is_(None))
    )
    assert session.scalar(unmentioned) == 0


def test_seeded_accounts_carry_their_post_counts_without_direct_posts(session: Session):
    seed(engine, users=60, tweets=600, progress=False)
    counted = (
        select(User.id, func.count(Tweet.id), func.max(Tweet.created_at))
        .outerjoin(Tweet, (Tweet.owner_id == User.id) & (Tweet.visibility != "direct"))
        .group_by(User.id)
    )
    expected = {row[0]: (row[1], row[2]) for row in session.execute(counted)}
    kept = session.execute(select(User.id, User.statuses_count, User.last_status_at))
    assert {row[0]: (row[1], row[2]) for row in kept} == expected
    assert sum(n for n, _ in expected.values()) < 600  # some direct posts, left uncounted
