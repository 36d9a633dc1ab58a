"""Profiles (issue 16): name, bio, avatar, header, up to four fields, the bot flag.

One change at a time or all at once: every picture is processed (and refused) before
anything is stored or written, the old pictures' files are deleted only once the new keys
are committed.
"""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from webapp.config import settings
from webapp.crud.errors import DomainError, NotFound
from webapp.crud.media import stored
from webapp.crud.people import BIO_MAX, DISPLAY_NAME_MAX
from webapp.media import pipeline
from webapp.media.storage import new_key, storage
from webapp.models import User

MAX_FIELDS = 4
FIELD_NAME_MAX = 255
FIELD_VALUE_MAX = 255


class ProfileInvalid(DomainError):
    message = "That profile can't be saved"


@dataclass(frozen=True)
class ProfileChanges:
    """What to change; None leaves a thing as it is."""

    display_name: str | None = None
    bio: str | None = None
    avatar: bytes | None = None
    header: bytes | None = None
    fields: list[tuple[str, str]] | None = None
    bot: bool | None = None


def clean_fields(pairs: list[tuple[str, str]]) -> list[dict[str, str]]:
    """Up to four label/value pairs; rows left wholly empty are dropped."""
    kept = [(name.strip(), value.strip()) for name, value in pairs if name.strip() or value.strip()]
    if len(kept) > MAX_FIELDS:
        raise ProfileInvalid(f"A profile can have at most {MAX_FIELDS} fields")
    for name, value in kept:
        if not name:
            raise ProfileInvalid("Each profile field needs a label")
        if len(name) > FIELD_NAME_MAX or len(value) > FIELD_VALUE_MAX:
            raise ProfileInvalid(
                f"Field labels and values can have at most {FIELD_VALUE_MAX} characters"
            )
    return [{"name": name, "value": value} for name, value in kept]


def _check_text(changes: ProfileChanges) -> None:
    texts = [changes.display_name, changes.bio, *(t for pair in changes.fields or [] for t in pair)]
    if any(text is not None and "\x00" in text for text in texts):
        raise ProfileInvalid("That contains a character Chirp can't store")
    if changes.display_name is not None and len(changes.display_name.strip()) > DISPLAY_NAME_MAX:
        raise ProfileInvalid(f"A display name can have at most {DISPLAY_NAME_MAX} characters")
    if changes.bio is not None and len(changes.bio.strip()) > BIO_MAX:
        raise ProfileInvalid(f"A bio can have at most {BIO_MAX} characters")


def save_profile(session: Session, *, user_id: int, changes: ProfileChanges) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound("User not found")
    _check_text(changes)
    fields = clean_fields(changes.fields) if changes.fields is not None else None
    limit = settings.media_max_bytes
    avatar = pipeline.process_avatar(changes.avatar, limit) if changes.avatar else None
    header = pipeline.process_header(changes.header, limit) if changes.header else None
    files = [
        (new_key(kind, image.extension), image)
        for kind, image in (("avatars", avatar), ("headers", header))
        if image
    ]
    replaced: list[str] = []
    with stored(session, files):
        for key, image in files:
            column = "avatar_key" if image is avatar else "header_key"
            if old := getattr(user, column):
                replaced.append(old)
            setattr(user, column, key)
        if changes.display_name is not None:
            user.display_name = changes.display_name.strip()
        if changes.bio is not None:
            user.bio = changes.bio.strip()
        if fields is not None:
            user.profile_fields = fields
        if changes.bot is not None:
            user.bot = changes.bot
        session.commit()
    if replaced:
        storage().delete(replaced)
    return user
