"""Replies, mentions, reposts and quotes notify the people they are about, only when those
people may read the post; live streams carry a post only to those who may see it."""

import asyncio

from sqlalchemy.orm import Session

from tests.factories import make_tweet, make_user
from tests.test_notifications import kinds
from webapp import crud
from webapp.crud import conversations
from webapp.live import Delivery, Listener, Router


def test_a_reply_and_a_mention_notify_as_mentions(session: Session):
    ada, bob, cy = (make_user(session, name) for name in ("ada", "bob", "cy"))
    post = make_tweet(session, ada, "hello")
    reply = crud.create_tweet(
        session, owner_id=bob.id, text="@ada hi, and @cy too", in_reply_to_id=post.id
    )
    assert kinds(session, ada.id) == [("mention", bob.id, reply.id)]  # once, not twice
    assert kinds(session, cy.id) == [("mention", bob.id, reply.id)]
    crud.delete_tweet(session, tweet_id=reply.id, user_id=bob.id)
    assert kinds(session, ada.id) == [] and kinds(session, cy.id) == []


def test_a_repost_notifies_until_it_is_undone_and_a_quote_notifies(session: Session):
    ada, bob = make_user(session, "ada"), make_user(session, "bob")
    post = make_tweet(session, ada, "worth sharing")
    conversations.repost(session, user_id=bob.id, tweet_id=post.id)
    assert kinds(session, ada.id) == [("reblog", bob.id, post.id)]
    conversations.unrepost(session, user_id=bob.id, tweet_id=post.id)
    assert kinds(session, ada.id) == []
    quote = crud.create_tweet(session, owner_id=bob.id, text="look", quote_of_id=post.id)
    assert kinds(session, ada.id) == [("quote", bob.id, quote.id)]


def test_no_notification_about_a_post_the_person_may_not_read(session: Session):
    ada, cy = make_user(session, "ada"), make_user(session, "cy")
    crud.create_tweet(session, owner_id=ada.id, text="@cy secret", visibility="private")
    assert kinds(session, cy.id) == []  # cy does not follow ada: cannot read it
    direct = crud.create_tweet(session, owner_id=ada.id, text="@cy just you", visibility="direct")
    assert kinds(session, cy.id) == [("mention", ada.id, direct.id)]


def _deliveries(event: dict[str, object], *listeners: Listener) -> list[list[str]]:
    async def route() -> list[list[str]]:
        router = Router()
        router.listeners.update(listeners)
        await router.route(event)
        return [[d.stream[0] for d in _drain(listener)] for listener in listeners]

    return asyncio.run(route())


def _drain(listener: Listener) -> list[Delivery]:
    found: list[Delivery] = []
    while not listener.queue.empty():
        found.append(listener.queue.get_nowait())
    return found


def test_live_streams_follow_visibility(session: Session):
    ada, fan, cy = make_user(session, "ada"), make_user(session, "fan"), make_user(session, "cy")
    crud.follow(session, follower_id=fan.id, followee_id=ada.id)
    streams = {"user", "public", "hashtag:tea"}

    def listeners() -> tuple[Listener, Listener, Listener]:
        return (
            Listener(fan.id, set(streams)),
            Listener(cy.id, set(streams)),
            Listener(None, {"public"}),
        )

    private = crud.create_tweet(session, owner_id=ada.id, text="#tea friends", visibility="private")
    event = conversations.new_post_event(private)
    assert _deliveries(event, *listeners()) == [["user"], [], []]
    direct = crud.create_tweet(session, owner_id=ada.id, text="@cy hi", visibility="direct")
    event = conversations.new_post_event(direct, [cy.id])
    assert _deliveries(event, *listeners()) == [[], ["user"], []]
    public = crud.create_tweet(session, owner_id=ada.id, text="#tea all")
    event = conversations.new_post_event(public)
    assert _deliveries(event, *listeners()) == [
        ["user", "public", "hashtag"],
        ["public", "hashtag"],
        ["public"],
    ]
