"""Editing a post: the author changes its text and content warning; every earlier version
(text, warning, sensitive flag) is kept (tweet_edits).

Visibility, images, replies and quotes stay as posted, as on Mastodon. The mentions and the
tag index are derived again from the new text; the search index follows by itself (a
trigger on SQLite, a generated column on PostgreSQL: migration 0005).
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from webapp import events
from webapp.crud import posting
from webapp.crud.conversations import new_post_event, notify_about, record_mentions, visible_tweet
from webapp.crud.errors import BlankTweet, Forbidden, NotFound, TweetTooLong
from webapp.crud.tags import record_tags
from webapp.models import TWEET_MAX_CHARS, Mention, Tweet, TweetEdit, TweetTag, utcnow
from webapp.text import has_visible_text


@dataclass(frozen=True)
class Version:
    """One version of a post (its text, content warning and sensitive flag) and when it
    began to read so."""

    text: str
    created_at: datetime
    spoiler_text: str = ""
    sensitive: bool = False


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
    """Change the text and the content warning of your post, and whether its images are
    sensitive; None leaves the warning or the flag as it is, and a warning keeps a post
    sensitive. A changed text or warning makes a new version (the old one is kept in
    tweet_edits); the same text and warning again make none."""
    tweet = own_post(session, tweet_id=tweet_id, user_id=user_id)
    if not tweet.media and not has_visible_text(text):
        raise BlankTweet()
    if len(text) > TWEET_MAX_CHARS:
        raise TweetTooLong()
    warning = tweet.spoiler_text if spoiler_text is None else posting.warning(spoiler_text)
    before = TweetEdit(
        tweet_id=tweet.id,
        text=tweet.text,
        spoiler_text=tweet.spoiler_text,
        sensitive=tweet.sensitive,
        created_at=tweet.edited_at or tweet.created_at,
    )
    if sensitive is not None:
        tweet.sensitive = sensitive
    tweet.sensitive = tweet.sensitive or bool(warning)  # as on Mastodon
    if (text, warning) == (tweet.text, tweet.spoiler_text):
        session.commit()
        return tweet
    session.add(before)
    tweet.text, tweet.spoiler_text, tweet.edited_at = text, warning, utcnow()
    _follow_new_text(session, tweet)
    session.commit()
    return tweet


def _follow_new_text(session: Session, tweet: Tweet) -> None:
    """Mentions and tags derived again from the (maybe) new text; the streams are told."""
    session.execute(delete(Mention).where(Mention.tweet_id == tweet.id))
    session.execute(delete(TweetTag).where(TweetTag.tweet_id == tweet.id))
    session.flush()
    mentioned = record_mentions(session, tweet)
    record_tags(session, tweet)
    notify_about(session, tweet, mentioned)  # newly mentioned people hear of it (once)
    # Streams show the new version in place (Mastodon's status.update), never as a new post.
    events.emit(session, new_post_event(tweet, mentioned) | {"edited": True})


def history(
    session: Session, *, tweet_id: int, viewer_id: int | None
) -> tuple[Tweet, list[Version]]:
    """A post the viewer may see and its versions, oldest first, the current one last."""
    tweet = visible_tweet(session, tweet_id, viewer_id)
    query = select(TweetEdit).where(TweetEdit.tweet_id == tweet.id).order_by(TweetEdit.id)
    earlier = [
        Version(e.text, e.created_at, e.spoiler_text, e.sensitive) for e in session.scalars(query)
    ]
    since = tweet.edited_at or tweet.created_at
    return tweet, [*earlier, Version(tweet.text, since, tweet.spoiler_text, tweet.sensitive)]
