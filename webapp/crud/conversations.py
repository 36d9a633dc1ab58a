"""Conversations: posting (replies, quotes, visibility, mentions), reposting, deleting.

Counts change in the same transaction as the rows they count, by atomic UPDATEs. A post's
reply_count counts the replies everyone may see (public and unlisted), so a count never
reveals a followers-only or direct reply to someone who may not read it.
"""

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from sqlalchemy import delete, exists, func, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

from webapp import events, jobs
from webapp.crud import direct_messages, feeds, post_counts
from webapp.crud.errors import (
    BlankTweet,
    CannotRepost,
    Forbidden,
    InvalidPoll,
    InvalidVisibility,
    NotFound,
)
from webapp.crud.notifications import notify, unnotify
from webapp.crud.posting import PostOptions, apply, record
from webapp.crud.tags import record_tags
from webapp.crud.visibility import OPEN, REPOSTABLE, not_blocked, visible_to
from webapp.media.summary import summary
from webapp.models import VISIBILITIES, Like, MediaAttachment, Mention, Tweet, User
from webapp.text import has_visible_text, hashtags

if TYPE_CHECKING:
    from webapp.crud.polls import PollSpec

# The handles linkify would link (webapp/text.py), lower-cased.
_MENTION = re.compile(r"(?<![\w@/])@([A-Za-z0-9_]{1,30})\b")


def mentioned_handles(text: str) -> set[str]:
    return {handle.lower() for handle in _MENTION.findall(text)}


def visible_tweet(session: Session, tweet_id: int, viewer_id: int | None) -> Tweet:
    """A post this viewer may see; NotFound otherwise, so a hidden post is never confirmed."""
    tweet = session.scalar(select(Tweet).where(Tweet.id == tweet_id, visible_to(viewer_id)))
    if tweet is None:
        raise NotFound("Tweet not found")
    return tweet


def post(
    session: Session,
    *,
    owner_id: int,
    text: str,
    visibility: str = "public",
    in_reply_to_id: int | None = None,
    quote_of_id: int | None = None,
    media: Sequence[MediaAttachment] = (),
    poll: "PollSpec | None" = None,
    options: PostOptions | None = None,
) -> Tweet:
    """A new post, reply or quote, with its images (uploads checked and locked by
    crud.media) or a poll, and its options (webapp/crud/posting.py). Replying to or quoting
    a post you may not see is NotFound."""
    from webapp.crud import polls  # here: crud.polls reads posts through this module

    if poll is not None:
        polls.check(poll)  # before anything is written
        if media:
            raise InvalidPoll("A post can have images or a poll, not both")
    if not media and not has_visible_text(text):  # every surface posts here: one rule for all
        raise BlankTweet()
    if visibility not in VISIBILITIES:
        raise InvalidVisibility()
    shown = [summary(m) for m in media] or None  # the card's copy (webapp/media/summary.py)
    tweet = Tweet(owner_id=owner_id, text=text, visibility=visibility, media=shown)
    tweet.has_poll = poll is not None
    chosen = options or PostOptions()
    apply(tweet, chosen)
    if in_reply_to_id is not None:
        parent = _original(session, in_reply_to_id, owner_id)
        tweet.in_reply_to_id, tweet.in_reply_to_user_id = parent.id, parent.owner_id
    if quote_of_id is not None:
        tweet.quote_of_id = _original(session, quote_of_id, owner_id).id
    session.add(tweet)
    session.flush()  # the id, for mentions, the tag index, the images and the live event
    record(session, tweet, chosen)  # a repeated Idempotency-Key stops the post here
    for image in media:
        image.tweet_id = tweet.id
    if poll is not None:
        polls.attach(session, tweet, poll)
    mentioned = record_mentions(session, tweet)
    if visibility == "direct":  # its place in a direct conversation (issue 19)
        direct_messages.record(session, tweet, mentioned)
    record_tags(session, tweet)
    if tweet.in_reply_to_id is not None and visibility in OPEN:
        _bump(session, tweet.in_reply_to_id, reply_count=Tweet.reply_count + 1)
    post_counts.count_post(session, tweet)
    notify_about(session, tweet, mentioned)
    _to_feeds(session, tweet)
    events.emit(session, new_post_event(tweet, mentioned))
    session.commit()
    return tweet


def _to_feeds(session: Session, tweet: Tweet) -> None:
    """Into home feeds (webapp/crud/feeds.py); a job takes a big following's share."""
    if feeds.on_post(session, tweet):
        jobs.defer_fan_out(session, tweet.id)


def new_post_event(tweet: Tweet, mentioned: Iterable[int] = ()) -> events.Event:
    """What live streams need to route a new post, published when it commits: its author and
    visibility (whose home streams), whom it mentions (direct posts), its tags (hashtag
    streams) and whether it is a repost (public streams leave those out)."""
    return {
        "type": "update",
        "tweet_id": tweet.id,
        "owner_id": tweet.owner_id,
        "visibility": tweet.visibility,
        "mentioned": sorted(mentioned),
        "repost": tweet.repost_of_id is not None,
        "tags": sorted(hashtags(tweet.text)),
    }


def notify_about(session: Session, tweet: Tweet, mentioned: Iterable[int]) -> None:
    """A mention (a reply is one too, as on Mastodon) or a quote tells those it names, if
    they may read the post: a followers-only post mentioning a stranger tells them nothing."""
    told = set(mentioned)
    if tweet.in_reply_to_user_id is not None:
        told.add(tweet.in_reply_to_user_id)
    for person in sorted(told):
        if _can_see(session, tweet.id, person):
            notify(session, recipient_id=person, actor_id=tweet.owner_id, kind="mention",
                   tweet_id=tweet.id)  # fmt: skip
    if tweet.quote_of_id is not None:
        quoted = session.get(Tweet, tweet.quote_of_id)
        if quoted is not None and _can_see(session, tweet.id, quoted.owner_id):
            notify(session, recipient_id=quoted.owner_id, actor_id=tweet.owner_id, kind="quote",
                   tweet_id=tweet.id)  # fmt: skip


def _can_see(session: Session, tweet_id: int, user_id: int) -> bool:
    query = exists().where(Tweet.id == tweet_id, visible_to(user_id))
    return bool(session.scalar(select(query)))


def _original(session: Session, tweet_id: int, viewer_id: int) -> Tweet:
    """The post behind an id: a repost stands for its original."""
    tweet = visible_tweet(session, tweet_id, viewer_id)
    if tweet.repost_of_id is not None:
        return visible_tweet(session, tweet.repost_of_id, viewer_id)
    return tweet


def record_mentions(session: Session, tweet: Tweet) -> list[int]:
    """The ids of the people the post mentions (handles that exist), stored."""
    handles = mentioned_handles(tweet.text)
    if not handles:
        return []
    ids = list(session.scalars(select(User.id).where(User.username.in_(handles))))
    if ids:
        session.execute(insert(Mention), [{"tweet_id": tweet.id, "user_id": i} for i in ids])
    return ids


def _bump(session: Session, tweet_id: int, **values: object) -> None:
    # An atomic UPDATE ... SET n = n + 1: never read-modify-write.
    session.execute(update(Tweet).where(Tweet.id == tweet_id).values(**values))


def repost(session: Session, *, user_id: int, tweet_id: int) -> Tweet:
    """Repost a post (once: a second repost changes nothing). Returns the original, fresh."""
    original = _original(session, tweet_id, user_id)
    if original.visibility not in REPOSTABLE:
        raise CannotRepost()
    row = Tweet(owner_id=user_id, text="", repost_of_id=original.id, visibility=original.visibility)
    session.add(row)
    try:
        session.flush()  # the unique constraint, not a prior read, decides a double repost
    except IntegrityError:
        session.rollback()
        return _fresh(session, original.id, user_id)
    _bump(session, original.id, repost_count=Tweet.repost_count + 1)
    post_counts.count_post(session, row)  # a repost is a status of the reposter's
    notify(session, recipient_id=original.owner_id, actor_id=user_id, kind="reblog",
           tweet_id=original.id)  # fmt: skip
    _to_feeds(session, row)
    events.emit(session, new_post_event(row))
    session.commit()
    return _fresh(session, original.id, user_id)


def unrepost(session: Session, *, user_id: int, tweet_id: int) -> Tweet:
    """Undo a repost; undoing one that is not there is harmless. Returns the original."""
    original = _original(session, tweet_id, user_id)
    gone = session.execute(
        delete(Tweet).where(Tweet.repost_of_id == original.id, Tweet.owner_id == user_id)
    )
    if gone.rowcount:  # type: ignore[attr-defined]
        _bump(session, original.id, repost_count=Tweet.repost_count - 1)
        post_counts.uncount_post(session, owner_id=user_id, visibility=original.visibility)
        unnotify(session, recipient_id=original.owner_id, actor_id=user_id, kind="reblog",
                 tweet_id=original.id)  # fmt: skip
    session.commit()
    return _fresh(session, original.id, user_id)


def _fresh(session: Session, tweet_id: int, viewer_id: int) -> Tweet:
    tweet = visible_tweet(session, tweet_id, viewer_id)
    session.refresh(tweet)  # the counts changed in SQL, behind the identity map
    return tweet


def delete_post(session: Session, *, tweet_id: int, user_id: int) -> None:
    """Delete your own post. Its reposts go with it; its replies stay, under a placeholder."""
    tweet = visible_tweet(session, tweet_id, user_id)
    if tweet.owner_id != user_id:
        raise Forbidden("You can only delete your own tweets")
    remove(session, tweet)


def remove(session: Session, tweet: Tweet) -> None:
    """Delete a post and take it out of the counts it is in (its author's delete, or an
    admin's): its author's, and those of the people whose reposts of it go with it."""
    if tweet.repost_of_id is None:
        # Locked first (PostgreSQL), so no repost of it commits between the count and the
        # delete that cascades to it.
        session.execute(select(Tweet.id).where(Tweet.id == tweet.id).with_for_update())
        post_counts.uncount_reposts(session, [tweet.id])
    post_counts.uncount_post(session, owner_id=tweet.owner_id, visibility=tweet.visibility)
    if tweet.in_reply_to_id is not None and tweet.visibility in OPEN:
        _bump(session, tweet.in_reply_to_id, reply_count=Tweet.reply_count - 1)
    if tweet.repost_of_id is not None:
        _bump(session, tweet.repost_of_id, repost_count=Tweet.repost_count - 1)
    from webapp.crud import media  # here: crud.media posts through this module

    files = media.keys_of_tweet(session, tweet.id)  # its images go too, once committed
    if tweet.repost_of_id is not None:  # the reposted post's author hears no more of it
        unnotify(session, recipient_id=_owner_of(session, tweet.repost_of_id),
                 actor_id=tweet.owner_id, kind="reblog", tweet_id=tweet.repost_of_id)  # fmt: skip
    session.execute(delete(Tweet).where(Tweet.id == tweet.id))
    events.emit(session, {"type": "delete", "tweet_id": tweet.id, "owner_id": tweet.owner_id})
    session.commit()
    media.delete_files(files)


def _owner_of(session: Session, tweet_id: int) -> int:
    return session.scalar(select(Tweet.owner_id).where(Tweet.id == tweet_id)) or 0


def uncount_author(session: Session, user_id: int) -> None:
    """Before an account and its posts go: lower the reply and repost counts of the others'
    posts they answered or reposted (each original is reposted at most once per person),
    and the statuses_count of those whose reposts of their posts go by cascade."""
    post_counts.uncount_reposts(session, select(Tweet.id).where(Tweet.owner_id == user_id))
    mine = aliased(Tweet)
    answers = (
        select(func.count())
        .where(
            mine.in_reply_to_id == Tweet.id,
            mine.owner_id == user_id,
            mine.visibility.in_(OPEN),
        )
        .scalar_subquery()
    )
    answered = select(mine.in_reply_to_id).where(mine.owner_id == user_id)
    session.execute(
        update(Tweet)
        .where(Tweet.id.in_(answered), Tweet.owner_id != user_id)
        .values(reply_count=Tweet.reply_count - answers)
    )
    reposted = select(mine.repost_of_id).where(mine.owner_id == user_id)
    session.execute(
        update(Tweet)
        .where(Tweet.id.in_(reposted), Tweet.owner_id != user_id)
        .values(repost_count=Tweet.repost_count - 1)
    )


# --- Reads for a page of statuses (the Mastodon API): one query each, whatever the page size.


def originals(session: Session, tweets: Iterable[Tweet]) -> dict[int, Tweet]:
    """The posts these reposts stand for (only open posts are ever reposted)."""
    ids = {t.repost_of_id for t in tweets if t.repost_of_id is not None}
    if not ids:
        return {}
    return {t.id: t for t in session.scalars(select(Tweet).where(Tweet.id.in_(ids)))}


def reposted_ids(session: Session, *, user_id: int, tweet_ids: Iterable[int]) -> set[int]:
    ids = list(tweet_ids)
    if not ids:
        return set()
    query = select(Tweet.repost_of_id).where(Tweet.owner_id == user_id, Tweet.repost_of_id.in_(ids))
    return {i for i in session.scalars(query) if i is not None}


def mentions_of(session: Session, tweet_ids: Iterable[int]) -> dict[int, list[User]]:
    ids = list(tweet_ids)
    if not ids:
        return {}
    query = (
        select(Mention.tweet_id, User)
        .join(User, User.id == Mention.user_id)
        .where(Mention.tweet_id.in_(ids))
        .order_by(User.username)
    )
    found: dict[int, list[User]] = {}
    for tweet_id, user in session.execute(query):
        found.setdefault(tweet_id, []).append(user)
    return found


def repost_of(session: Session, *, user_id: int, tweet_id: int) -> Tweet | None:
    """This user's repost row of a post, if any."""
    query = select(Tweet).where(Tweet.repost_of_id == tweet_id, Tweet.owner_id == user_id)
    return session.scalar(query)


def reposters(session: Session, *, tweet_id: int, viewer_id: int | None, limit: int) -> list[User]:
    """Who reposted a post the viewer may see, newest first."""
    visible_tweet(session, tweet_id, viewer_id)
    query = (
        select(User)
        .join(Tweet, Tweet.owner_id == User.id)
        .where(Tweet.repost_of_id == tweet_id, not_blocked(viewer_id))
        .order_by(Tweet.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))


def likers(session: Session, *, tweet_id: int, viewer_id: int | None, limit: int) -> list[User]:
    """Who liked a post the viewer may see, newest first."""
    visible_tweet(session, tweet_id, viewer_id)
    query = (
        select(User)
        .join(Like, Like.owner_id == User.id)
        .where(Like.tweet_id == tweet_id, not_blocked(viewer_id))
        .order_by(Like.id.desc())
        .limit(limit)
    )
    return list(session.scalars(query))
