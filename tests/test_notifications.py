"""The notification rules: one row per cause, never for your own actions, gone with the cause."""

from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from webapp import crud
from webapp.crud import markers, notifications
from webapp.crud.live import user_and_unread_for_token
from webapp.crud.notifications import Filters, group
from webapp.crud.statuses import Window, favourite
from webapp.models import Notification


def kinds(session: Session, user_id: int) -> list[tuple[str, int, int | None]]:
    rows = notifications.list_notifications(session, recipient_id=user_id, window=Window())
    return [(row.kind, row.actor_id, row.tweet_id) for row in rows]


def test_a_like_and_a_follow_notify_the_person_they_are_about(session: Session):
    ada, bob = make_user(session), make_user(session)
    tweet = make_tweet(session, ada)
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    crud.like(session, user_id=bob.id, tweet_id=tweet.id)
    assert kinds(session, ada.id) == [("favourite", bob.id, tweet.id), ("follow", bob.id, None)]
    assert kinds(session, bob.id) == []


def test_liking_your_own_tweet_notifies_no_one(session: Session):
    ada = make_user(session)
    tweet = make_tweet(session, ada)
    crud.like(session, user_id=ada.id, tweet_id=tweet.id)
    assert kinds(session, ada.id) == []


def test_the_same_cause_twice_is_one_notification(session: Session):
    ada, bob = make_user(session), make_user(session)
    tweet = make_tweet(session, ada)
    favourite(session, user_id=bob.id, tweet_id=tweet.id)
    favourite(session, user_id=bob.id, tweet_id=tweet.id)  # Mastodon's idempotent favourite
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    args = {"recipient_id": ada.id, "actor_id": bob.id}
    assert notifications.notify(session, kind="follow", **args) is None  # a follow has no tweet
    session.commit()
    assert len(kinds(session, ada.id)) == 2


def test_undoing_the_cause_removes_the_notification(session: Session):
    ada, bob = make_user(session), make_user(session)
    tweet = make_tweet(session, ada)
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    crud.like(session, user_id=bob.id, tweet_id=tweet.id)
    crud.unlike(session, user_id=bob.id, tweet_id=tweet.id)
    crud.unfollow(session, follower_id=bob.id, followee_id=ada.id)
    assert kinds(session, ada.id) == []


def test_deleting_the_tweet_removes_its_notifications(session: Session):
    ada, bob = make_user(session), make_user(session)
    tweet = make_tweet(session, ada)
    crud.like(session, user_id=bob.id, tweet_id=tweet.id)
    crud.delete_tweet(session, tweet_id=tweet.id, user_id=ada.id)
    assert session.scalars(select(Notification)).all() == []


def test_a_new_kind_plugs_in_with_one_call(session: Session):
    """What a reply, mention, reblog or quote does once they exist (issue 14's merge)."""
    ada, bob = make_user(session), make_user(session)
    reply = make_tweet(session, bob, "@ada yes")
    for kind in ("mention", "reblog", "quote"):
        notifications.notify(
            session, recipient_id=ada.id, actor_id=bob.id, kind=kind, tweet_id=reply.id
        )
    session.commit()
    assert [k for k, _, _ in kinds(session, ada.id)] == ["quote", "reblog", "mention"]


def test_filters_by_type_excluded_type_and_account(session: Session):
    ada, bob, cy = make_user(session), make_user(session), make_user(session)
    tweet = make_tweet(session, ada)
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    crud.follow(session, follower_id=cy.id, followee_id=ada.id)
    crud.like(session, user_id=cy.id, tweet_id=tweet.id)

    def listed(filters: Filters) -> list[tuple[str, int]]:
        rows = notifications.list_notifications(
            session, recipient_id=ada.id, window=Window(), filters=filters
        )
        return [(row.kind, row.actor_id) for row in rows]

    assert listed(Filters(types=frozenset({"follow"}))) == [("follow", cy.id), ("follow", bob.id)]
    assert listed(Filters(exclude_types=frozenset({"follow"}))) == [("favourite", cy.id)]
    assert listed(Filters(account_id=bob.id)) == [("follow", bob.id)]


def test_pages_by_id_newest_first(session: Session):
    ada = make_user(session)
    fans = [make_user(session) for _ in range(5)]
    for fan in fans:
        crud.follow(session, follower_id=fan.id, followee_id=ada.id)
    first = notifications.list_notifications(session, recipient_id=ada.id, window=Window(limit=2))
    rest = notifications.list_notifications(
        session, recipient_id=ada.id, window=Window(max_id=first[-1].id, limit=10)
    )
    actors = [row.actor_id for row in first + rest]
    assert actors == [fan.id for fan in reversed(fans)]


def test_unread_counts_what_came_after_the_marker(session: Session):
    ada, bob, cy = make_user(session), make_user(session), make_user(session)
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    assert notifications.unread_count(session, user_id=ada.id) == 1
    notifications.mark_read(session, user_id=ada.id)
    assert notifications.unread_count(session, user_id=ada.id) == 0
    crud.follow(session, follower_id=cy.id, followee_id=ada.id)
    assert notifications.unread_count(session, user_id=ada.id) == 1
    marker = markers.get_markers(session, user_id=ada.id, timelines=["notifications"])
    assert marker[0].version == 1


def test_likes_of_one_tweet_group_into_one_line(session: Session):
    ada = make_user(session)
    one, two = make_tweet(session, ada, "one"), make_tweet(session, ada, "two")
    fans = [make_user(session) for _ in range(4)]
    for fan in fans:
        crud.like(session, user_id=fan.id, tweet_id=one.id)
    crud.like(session, user_id=fans[0].id, tweet_id=two.id)
    rows = notifications.list_notifications(session, recipient_id=ada.id, window=Window())
    groups = group(rows)
    assert [(g.tweet_id, len(g.actor_ids)) for g in groups] == [(two.id, 1), (one.id, 4)]
    assert groups[1].actor_ids[0] == fans[-1].id  # the newest liker leads: "Dee and 3 others"


def test_dismiss_and_clear_touch_only_your_own(session: Session):
    ada, bob = make_user(session), make_user(session)
    crud.follow(session, follower_id=bob.id, followee_id=ada.id)
    crud.follow(session, follower_id=ada.id, followee_id=bob.id)
    ada_row = notifications.list_notifications(session, recipient_id=ada.id, window=Window())[0]
    with pytest.raises(crud.NotFound):
        notifications.dismiss(session, recipient_id=bob.id, notification_id=ada_row.id)
    notifications.clear(session, recipient_id=bob.id)
    assert len(kinds(session, ada.id)) == 1 and kinds(session, bob.id) == []
    notifications.dismiss(session, recipient_id=ada.id, notification_id=ada_row.id)
    assert kinds(session, ada.id) == []


def test_each_person_badge_reads_their_own_marker(session: Session):
    """The badge's count sits inside the session lookup: it must read the signed-in person's
    marker, not whichever marker the database finds first."""
    ada, bob = make_user(session), make_user(session)
    fans = [make_user(session) for _ in range(3)]
    for fan in fans:
        crud.follow(session, follower_id=fan.id, followee_id=ada.id)
        crud.follow(session, follower_id=fan.id, followee_id=bob.id)
    notifications.mark_read(session, user_id=bob.id)  # bob read his; ada has a marker at 0
    markers.set_marker(session, user_id=ada.id, timeline="notifications", last_read_id=0)
    tokens = {
        user.id: crud.create_token(session, user_id=user.id, kind="session", max_age=timedelta(1))
        for user in (ada, bob)
    }
    counts = {
        uid: user_and_unread_for_token(session, token, kind="session")[1]  # type: ignore[index]
        for uid, token in tokens.items()
    }
    assert counts == {ada.id: 3, bob.id: 0}
    assert notifications.unread_count(session, user_id=ada.id) == 3
