"""The tag index: written at post time, read by tag pages, trends and tag search."""

from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from webapp import crud
from webapp.crud import tags
from webapp.models import TweetTag, utcnow


def test_posting_indexes_each_tag_once_lower_cased(session: Session):
    ada = make_user(session)
    tweet = make_tweet(session, ada, "#Python and #python and #htmx, not a#b or &#39;")
    rows = session.scalars(select(TweetTag).where(TweetTag.tweet_id == tweet.id)).all()
    assert sorted(row.tag for row in rows) == ["htmx", "python"]
    assert {row.owner_id for row in rows} == {ada.id}


def test_a_tag_page_lists_exact_tag_uses_newest_first(session: Session):
    ada = make_user(session)
    first = make_tweet(session, ada, "#tea time")
    make_tweet(session, ada, "#teatime is another tag")
    second = make_tweet(session, ada, "more #Tea")
    page = crud.tag_timeline(session, tag="TEA")
    assert [t.id for t in page.tweets] == [second.id, first.id]
    older = crud.tag_timeline(session, tag="tea", before=second.id)
    assert [t.id for t in older.tweets] == [first.id]


def test_a_deleted_post_leaves_its_tag_page(session: Session):
    ada = make_user(session)
    tweet = make_tweet(session, ada, "#gone soon")
    crud.delete_tweet(session, tweet_id=tweet.id, user_id=ada.id)
    assert crud.tag_timeline(session, tag="gone").tweets == []


def test_trends_rank_by_distinct_people_not_raw_uses(session: Session):
    spammer, ada, bob = make_user(session), make_user(session), make_user(session)
    for _ in range(5):
        make_tweet(session, spammer, "#buynow")
    make_tweet(session, ada, "#sunset over the river")
    make_tweet(session, bob, "#sunset again")
    trend = tags.trending(session)
    assert [(t.name, t.uses, t.people) for t in trend] == [("sunset", 2, 2), ("buynow", 5, 1)]


def test_trends_count_only_the_last_24_hours(session: Session):
    ada, bob = make_user(session), make_user(session)
    old = make_tweet(session, ada, "#yesterday")
    make_tweet(session, bob, "#yesterday")
    session.execute(
        update(TweetTag)
        .where(TweetTag.tweet_id == old.id)
        .values(created_at=utcnow() - timedelta(hours=25))
    )
    session.commit()
    assert [(t.name, t.people) for t in tags.trending(session)] == [("yesterday", 1)]


def test_tag_search_lists_names_by_prefix_and_pages(session: Session):
    ada = make_user(session)
    make_tweet(session, ada, "#coffee #coffeetime #code #tea")
    assert tags.search_tags(session, prefix="#CO", limit=2) == ["code", "coffee"]
    assert tags.search_tags(session, prefix="co", after="coffee") == ["coffeetime"]
    assert tags.search_tags(session, prefix="%") == []


def test_following_a_tag_is_idempotent_and_undone(session: Session):
    ada = make_user(session)
    tags.follow_tag(session, user_id=ada.id, tag="Python")
    tags.follow_tag(session, user_id=ada.id, tag="python")
    assert tags.followed_tags(session, user_id=ada.id) == ["python"]
    assert tags.follows_tags(session, user_id=ada.id, names=["python", "go"]) == {"python"}
    tags.unfollow_tag(session, user_id=ada.id, tag="PYTHON")
    assert tags.followed_tags(session, user_id=ada.id) == []


def test_seeded_tweets_are_tagged_and_searchable(session: Session):
    from webapp.crud.search import search_posts
    from webapp.db import engine
    from webapp.models import Tag, Tweet
    from webapp.seeding import seed
    from webapp.text import hashtags

    seed(engine, users=30, tweets=400, likes=50, progress=False)
    tweets = session.scalars(select(Tweet)).all()
    expected = {(tag, t.id) for t in tweets for tag in hashtags(t.text)}
    rows = session.execute(select(TweetTag.tag, TweetTag.tweet_id))
    assert {(tag, tweet_id) for tag, tweet_id in rows} == expected
    assert set(session.scalars(select(Tag.name))) == {tag for tag, _ in expected}
    assert any(not tag.isdigit() for tag, _ in expected)  # topical tags, not only numbers
    coffee = {t.id for t in tweets if "coffee" in t.text.replace("#", " ").split()}
    assert {t.id for t in search_posts(session, q="coffee", limit=400).tweets} == coffee
