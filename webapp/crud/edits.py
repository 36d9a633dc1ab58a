"""Editing a post: the author changes its text (and, from the Mastodon API, its content
warning and sensitive mark); every earlier text is kept (tweet_edits). tweet_edits keeps
texts only, so a history shows every version under the post's current warning.

Visibility, images, replies and quotes stay as posted, as on Mastodon. The mentions and the
tag index are derived again from the new text; the search index follows by itself (a
trigger on SQLite, a generated column on PostgreSQL: migration 0005).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from webapp import events
from webapp.crud.conversations import new_post_event, notify_about, record_mentions, visible_tweet
from webapp.crud.errors import BlankTweet, Forbidden, NotFound, TweetTooLong
from webapp.crud.tags import record_tags
from webapp.models import TWEET_MAX_CHARS, Mention, Tweet, TweetEdit, TweetTag, utcnow
from webapp.text import has_visible_text


@dataclass(frozen=True)
class Version:
    """One text of a post and when it began to read so."""

    text: str
    created_at: datetime


def own_post(session: Session, *, tweet_id: int, user_id: int) -> Tweet:
    """Your own post, to edit: NotFound if you may not see it, Forbidden if it is not yours."""
    tweet = visible_tweet(session, tweet_id, user_id)
    if tweet.owner_id != user_id:
        raise Forbidden("You can only edit your own posts")
    if tweet.repost_of_id is not None:  # a repost has no text of its own
        raise NotFound("Tweet not found")
    return tweet


def edit_post(
    session: Session,
    *,
    tweet_id: int,
    user_id: int,
    text: str,
    spoiler_text: str | None = None,
    sensitive: bool | None = None,
) -> Tweet:
    """Change the text of your post, and its content warning and sensitive mark when given
    (None keeps them; a warning makes the post sensitive, as posting does). The same post
    again changes nothing (no new version)."""
    tweet = own_post(session, tweet_id=tweet_id, user_id=user_id)
    if not tweet.media and not has_visible_text(text):
        raise BlankTweet()
    if len(text) > TWEET_MAX_CHARS:
        raise TweetTooLong()
    spoiler = tweet.spoiler_text if spoiler_text is None else spoiler_text
    marked = (tweet.sensitive if sensitive is None else sensitive) or bool(spoiler)
    if (text, spoiler, marked) == (tweet.text, tweet.spoiler_text, tweet.sensitive):
        return tweet
    since = tweet.edited_at or tweet.created_at
    session.add(TweetEdit(tweet_id=tweet.id, text=tweet.text, created_at=since))
    tweet.text, tweet.edited_at = text, utcnow()
    tweet.spoiler_text, tweet.sensitive = spoiler, marked
    session.execute(delete(Mention).where(Mention.tweet_id == tweet.id))
    session.execute(delete(TweetTag).where(TweetTag.tweet_id == tweet.id))
    session.flush()
    mentioned = record_mentions(session, tweet)
    record_tags(session, tweet)
    notify_about(session, tweet, mentioned)  # newly mentioned people hear of it (once)
    # Streams show the new text in place (Mastodon's status.update), never as a new post.
    events.emit(session, new_post_event(tweet, mentioned) | {"edited": True})
    session.commit()
    return tweet


def history(
    session: Session, *, tweet_id: int, viewer_id: int | None
) -> tuple[Tweet, list[Version]]:
    """A post the viewer may see and its versions, oldest first, the current one last."""
    tweet = visible_tweet(session, tweet_id, viewer_id)
    query = select(TweetEdit).where(TweetEdit.tweet_id == tweet.id).order_by(TweetEdit.id)
    earlier = [Version(e.text, e.created_at) for e in session.scalars(query)]
    return tweet, [*earlier, Version(tweet.text, tweet.edited_at or tweet.created_at)]
