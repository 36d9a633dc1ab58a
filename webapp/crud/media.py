"""Media: upload images, describe them, attach them to a post, and delete their files.

Files are written before the row that names them is committed, and deleted again if that
commit (or anything before it) fails: a failed upload leaves nothing behind. Files of a
deleted post or a replaced avatar are deleted after the commit that drops their row or
key, so a rolled-back change never loses a file still in use.
"""

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.config import settings
from webapp.crud import conversations, timelines
from webapp.crud.errors import NotFound
from webapp.crud.timelines import PAGE_SIZE, Page
from webapp.media import pipeline
from webapp.media.errors import MediaError, TooManyImages
from webapp.media.storage import new_key, storage
from webapp.models import TWEET_MAX_CHARS, MediaAttachment, ScheduledMedia, Tweet, User

MAX_PER_POST = 4
DESCRIPTION_MAX = 1500
T = TypeVar("T")
TAKEN = "Some of those images were not found, or are already in a post"


@dataclass(frozen=True)
class Upload:
    data: bytes
    description: str = ""


class StorageFailed(MediaError):
    message = "Chirp could not save the image just now; please try again"
    status = 503


@contextmanager
def stored(session: Session, files: Sequence[tuple[str, pipeline.Encoded]]) -> Iterator[None]:
    """Write the files; if the block then fails, roll back and delete them again."""
    written: list[str] = []
    try:
        for key, encoded in files:
            try:
                storage().put(key, encoded.data, encoded.content_type)
            except Exception as error:
                raise StorageFailed() from error
            written.append(key)
        yield
    except BaseException:
        session.rollback()
        storage().delete(written)
        raise


def _attachment(
    owner_id: int, processed: pipeline.Processed, description: str
) -> tuple[MediaAttachment, list[tuple[str, pipeline.Encoded]]]:
    original = new_key("media", processed.original.extension)
    preview = new_key("media", processed.preview.extension)
    media = MediaAttachment(
        owner_id=owner_id,
        kind="image",
        original_key=original,
        preview_key=preview,
        width=processed.original.width,
        height=processed.original.height,
        preview_width=processed.preview.width,
        preview_height=processed.preview.height,
        description=check_description(description),
        focus_x=0.0,
        focus_y=0.0,
        blurhash=processed.blurhash,
    )
    return media, [(original, processed.original), (preview, processed.preview)]


def check_description(description: str) -> str:
    description = description.strip()
    if len(description) > DESCRIPTION_MAX:
        raise MediaError(f"Alt text can have at most {DESCRIPTION_MAX} characters")
    if "\x00" in description:
        raise MediaError("The alt text contains a character Chirp can't store")
    return description


def upload(
    session: Session, *, owner_id: int, data: bytes, description: str = ""
) -> MediaAttachment:
    """One image, not yet attached to a post (the Mastodon way: upload, then post)."""
    processed = pipeline.process_post_image(data, settings.media_max_bytes)
    media, files = _attachment(owner_id, processed, description)
    with stored(session, files):
        session.add(media)
        session.commit()
    return media


def get_own_media(session: Session, *, media_id: int, owner_id: int) -> MediaAttachment:
    media = session.get(MediaAttachment, media_id)
    if media is None or media.owner_id != owner_id:
        raise NotFound("Media not found")
    return media


def describe(
    session: Session,
    *,
    media_id: int,
    owner_id: int,
    description: str | None = None,
    focus: tuple[float, float] | None = None,
) -> MediaAttachment:
    """Change alt text or focus point; only before posting, as Mastodon allows."""
    media = get_own_media(session, media_id=media_id, owner_id=owner_id)
    if media.tweet_id is not None:
        raise NotFound("Media not found")  # Mastodon: attached media are no longer editable
    if description is not None:
        media.description = check_description(description)
    if focus is not None:
        if not all(-1.0 <= value <= 1.0 for value in focus):
            raise MediaError("The focus point must be two numbers from -1.0 to 1.0")
        media.focus_x, media.focus_y = focus
    session.commit()
    return media


def post_with_media(
    session: Session,
    *,
    owner_id: int,
    text: str,
    media_ids: Sequence[int],
    **post: Any,
) -> Tweet:
    """A post with up to four of the owner's unattached uploads, in the order given; `post`
    passes on what conversations.post takes (visibility, in_reply_to_id, quote_of_id)."""
    if len(media_ids) > MAX_PER_POST:
        raise TooManyImages()
    if len(text) > TWEET_MAX_CHARS:
        raise MediaError(f"A post can have at most {TWEET_MAX_CHARS} characters")
    rows = session.scalars(
        select(MediaAttachment)
        .where(MediaAttachment.id.in_(media_ids), MediaAttachment.owner_id == owner_id)
        .where(MediaAttachment.tweet_id.is_(None))
        .with_for_update()  # two posts racing for one upload: the second waits, then misses
    ).all()
    found = {media.id: media for media in rows}
    # Reserved: kept for a scheduled post (crud/scheduled.py). Mastodon answers 422 here (a
    # validation error), not 404.
    if len(found) != len(set(media_ids)) or reserved(session, media_ids):
        raise MediaError(TAKEN)
    ordered = [found[media_id] for media_id in dict.fromkeys(media_ids)]
    return conversations.post(session, owner_id=owner_id, text=text, media=ordered, **post)


def free_uploads(session: Session, *, owner_id: int, media_ids: Sequence[int]) -> None:
    """Lock these uploads of the owner's, or MediaError if any is missing, in a post already
    or reserved for a scheduled one. The reservations are read by a statement of their own,
    after the lock: one committed while this waited is seen (READ COMMITTED)."""
    rows = session.scalars(
        select(MediaAttachment.id)
        .where(MediaAttachment.id.in_(media_ids), MediaAttachment.owner_id == owner_id)
        .where(MediaAttachment.tweet_id.is_(None))
        .with_for_update()
    ).all()
    if len(set(rows)) != len(set(media_ids)) or reserved(session, media_ids):
        raise MediaError(TAKEN)


def reserved(session: Session, media_ids: Sequence[int]) -> bool:
    query = select(ScheduledMedia.media_id).where(ScheduledMedia.media_id.in_(media_ids))
    return session.scalar(query.limit(1)) is not None


def post_uploads(
    session: Session, *, owner_id: int, text: str, uploads: Sequence[Upload], **post: Any
) -> Tweet:
    """A post and its images in one go (the web composer): every image is processed before
    anything is stored, so one bad file refuses the whole post and leaves nothing."""
    return with_uploads(
        session,
        owner_id=owner_id,
        uploads=uploads,
        then=lambda ids: post_with_media(
            session, owner_id=owner_id, text=text, media_ids=ids, **post
        ),
    )


def with_uploads(
    session: Session, *, owner_id: int, uploads: Sequence[Upload], then: Callable[[list[int]], T]
) -> T:
    """Store the uploads' rows and files, then `then(their ids)` (which commits); if any
    image is bad, or `then` fails, nothing is left behind."""
    if len(uploads) > MAX_PER_POST:
        raise TooManyImages()
    processed = [
        (pipeline.process_post_image(u.data, settings.media_max_bytes), u) for u in uploads
    ]
    made = [_attachment(owner_id, image, u.description) for image, u in processed]
    files = [file for _, pair in made for file in pair]
    with stored(session, files):
        media = [m for m, _ in made]
        session.add_all(media)
        session.flush()
        return then([m.id for m in media])


def keys_of_tweet(session: Session, tweet_id: int) -> list[str]:
    """The files of a post's images, to delete once the post's deletion is committed."""
    rows = session.execute(
        select(MediaAttachment.original_key, MediaAttachment.preview_key).where(
            MediaAttachment.tweet_id == tweet_id
        )
    )
    return [key for row in rows for key in row]


def delete_files(keys: Sequence[str]) -> None:
    if keys:
        storage().delete(keys)


def media_timeline(
    session: Session,
    *,
    user_id: int,
    before: int | None = None,
    limit: int = PAGE_SIZE,
    viewer_id: int | None = None,
) -> Page:
    """A profile's Media tab: the person's posts with images, newest first."""
    query = select(Tweet).where(Tweet.owner_id == user_id, Tweet.media.is_not(None))
    return timelines._page(session, query, viewer_id, before, limit)  # the timelines' paging


def sweep_unattached(session: Session, *, older_than: timedelta) -> int:
    """Delete uploads never attached to a post (Mastodon keeps them a day too), and their
    files once the rows are gone. Returns how many went."""
    cutoff = datetime.now(UTC) - older_than
    stale = select(MediaAttachment).where(
        MediaAttachment.tweet_id.is_(None),
        MediaAttachment.created_at < cutoff,
        MediaAttachment.id.not_in(select(ScheduledMedia.media_id)),  # waiting to be posted
    )
    rows = session.scalars(stale.with_for_update(skip_locked=True)).all()
    files = [key for media in rows for key in (media.original_key, media.preview_key)]
    for media in rows:
        session.delete(media)
    session.commit()
    delete_files(files)
    return len(rows)


def keys_of_user(session: Session, user_id: int) -> list[str]:
    """Every file of a person (avatar, header, all their images), to delete once the
    account's deletion is committed."""
    rows = session.execute(
        select(MediaAttachment.original_key, MediaAttachment.preview_key).where(
            MediaAttachment.owner_id == user_id
        )
    )
    pictures = session.execute(select(User.avatar_key, User.header_key).where(User.id == user_id))
    return [key for row in [*rows, *pictures] for key in row if key]
