"""The timeline queries: who shows up where, newest first, paged by cursor."""

from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from webapp import crud
from webapp.crud import timelines


def test_home_shows_own_and_followed_tweets_only(session: Session):
    john, susan, david = make_user(session), make_user(session), make_user(session)
    mine = make_tweet(session, john, "mine")
    hers = make_tweet(session, susan, "hers")
    make_tweet(session, david, "not followed")
    # john follows susan
    crud.follow(session, follower_id=john.id, followee_id=susan.id)
    page = timelines.home_timeline(session, user_id=john.id)
    assert [t.id for t in page.tweets] == [hers.id, mine.id]
    assert page.tweets[0].owner.username == susan.username
    assert page.next_before is None


def test_pages_follow_the_cursor_without_gaps_or_repeats(session: Session):
    ada = make_user(session)
    ids = [make_tweet(session, ada, f"t{i}").id for i in range(7)]
    seen: list[int] = []
    before = None
    while True:
        page = timelines.user_timeline(session, user_id=ada.id, before=before, limit=3)
        seen += [t.id for t in page.tweets]
        if page.next_before is None:
            break
        before = page.next_before
    assert seen == sorted(ids, reverse=True)


def test_liked_ids_marks_only_what_the_user_liked(session: Session):
    ada, bob = make_user(session), make_user(session)
    one, two = make_tweet(session, bob), make_tweet(session, bob)
    crud.like(session, user_id=ada.id, tweet_id=two.id)
    assert timelines.liked_ids(session, user_id=ada.id, tweet_ids=[one.id, two.id]) == {two.id}
