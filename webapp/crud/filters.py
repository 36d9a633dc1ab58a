"""Keyword filters (issue 17): a person's named filters, their keywords and statuses.

Only the owner sees or changes a filter; anyone else gets "not found". Every change keeps
users.has_filters right, so the pages of someone with no filter never spend a statement on
them (the matching itself is in webapp/crud/filter_rules.py).
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, exists, select, update
from sqlalchemy.orm import Session

from webapp.crud.errors import DomainError, NotFound
from webapp.models import (
    FILTER_ACTIONS,
    FILTER_CONTEXTS,
    Filter,
    FilterKeyword,
    FilterStatus,
    User,
    utcnow,
)

TITLE_MAX = 100
KEYWORD_MAX = 100
KEYWORDS_MAX = 50  # per filter
FILTERS_MAX = 100  # per person
EXPIRES_MAX = timedelta(days=3650)


class BadFilter(DomainError):
    message = "A filter needs a title of 1 to 100 characters."

    def __init__(self, message: str | None = None, field: str = "title") -> None:
        super().__init__(message)
        self.field = field  # the form field the message belongs next to


@dataclass(frozen=True)
class KeywordChange:
    """One of Mastodon's keywords_attributes: a new keyword (no id), an edit, or a removal."""

    keyword: str = ""
    whole_word: bool | None = None  # None: as it was (an edit), or True (a new keyword)
    id: int | None = None
    destroy: bool = False


@dataclass
class FilterView:
    """A filter with its keywords and statuses, as the settings page and the API show it."""

    row: Filter
    keywords: list[FilterKeyword] = field(default_factory=list)
    statuses: list[FilterStatus] = field(default_factory=list)


def _title(title: str) -> str:
    title = title.strip()
    if not title or len(title) > TITLE_MAX or "\x00" in title:
        raise BadFilter()
    return title


def clean_context(context: Sequence[str]) -> list[str]:
    wanted = set(context)
    if not wanted:
        raise BadFilter("Choose at least one place where the filter applies.", "context")
    unknown = wanted - set(FILTER_CONTEXTS)
    if unknown:
        names = ", ".join(FILTER_CONTEXTS)
        raise BadFilter(f"A filter applies to {names}; not to {sorted(unknown)[0]}.", "context")
    return [name for name in FILTER_CONTEXTS if name in wanted]


def _action(action: str) -> str:
    if action not in FILTER_ACTIONS:
        raise BadFilter("A filter either warns (warn) or hides (hide).", "filter_action")
    return action


def clean_keyword(text: str) -> str:
    text = text.strip()
    if not text or len(text) > KEYWORD_MAX or "\x00" in text:
        raise BadFilter(f"A keyword needs 1 to {KEYWORD_MAX} characters.", "keywords")
    return text


def expiry(expires_in: int | None) -> datetime | None:
    """When a filter made now for `expires_in` seconds ends (None: never)."""
    if expires_in is None:
        return None
    if not 0 < expires_in <= EXPIRES_MAX.total_seconds():  # a timedelta would overflow
        raise BadFilter("A filter expires after 1 second to 10 years, or never.", "expires_in")
    return utcnow() + timedelta(seconds=expires_in)


def _refresh_flag(session: Session, user_id: int) -> None:
    """users.has_filters follows whether any filter row is left."""
    any_left = exists().where(Filter.user_id == user_id)
    session.execute(update(User).where(User.id == user_id).values(has_filters=any_left))


def create_filter(
    session: Session,
    *,
    user_id: int,
    title: str,
    context: Sequence[str],
    filter_action: str = "warn",
    expires_in: int | None = None,
    keywords: Sequence[KeywordChange] = (),
) -> FilterView:
    row = Filter(
        user_id=user_id,
        title=_title(title),
        context=clean_context(context),
        filter_action=_action(filter_action),
        expires_at=expiry(expires_in),
    )
    count = len(session.scalars(select(Filter.id).where(Filter.user_id == user_id)).all())
    if count >= FILTERS_MAX:
        raise BadFilter(f"You can have at most {FILTERS_MAX} filters.")
    added = [
        FilterKeyword(keyword=clean_keyword(k.keyword), whole_word=k.whole_word is not False)
        for k in keywords
    ]
    check_count(len(added))
    session.add(row)
    session.flush()
    for keyword in added:
        keyword.filter_id = row.id
    session.add_all(added)
    session.execute(update(User).where(User.id == user_id).values(has_filters=True))
    session.commit()
    return FilterView(row, added)


def check_count(count: int) -> None:
    if count > KEYWORDS_MAX:
        raise BadFilter(f"A filter can have at most {KEYWORDS_MAX} keywords.", "keywords")


def update_filter(
    session: Session,
    *,
    filter_id: int,
    user_id: int,
    title: str | None = None,
    context: Sequence[str] | None = None,
    filter_action: str | None = None,
    set_expiry: bool = False,
    expires_in: int | None = None,
    keywords: Sequence[KeywordChange] = (),
) -> FilterView:
    """Change what is given; with set_expiry, `expires_in` None means never."""
    row = get_filter(session, filter_id=filter_id, user_id=user_id)
    if title is not None:
        row.title = _title(title)
    if context is not None:
        row.context = clean_context(context)
    if filter_action is not None:
        row.filter_action = _action(filter_action)
    if set_expiry:
        row.expires_at = expiry(expires_in)
    _change_keywords(session, row.id, keywords)
    session.commit()
    return view(session, filter_id=row.id, user_id=user_id)


def _change_keywords(session: Session, filter_id: int, changes: Sequence[KeywordChange]) -> None:
    current = {k.id: k for k in keywords_of(session, filter_id)}
    for change in changes:
        if change.id is None:
            if not change.destroy:
                keyword = FilterKeyword(filter_id=filter_id, keyword=clean_keyword(change.keyword))
                keyword.whole_word = change.whole_word is not False
                session.add(keyword)
                current[-len(current) - 1] = keyword
            continue
        existing = current.get(change.id)
        if existing is None:
            raise NotFound("Record not found")
        if change.destroy:
            session.delete(existing)
            del current[change.id]
        else:
            existing.keyword = clean_keyword(change.keyword or existing.keyword)
            if change.whole_word is not None:
                existing.whole_word = change.whole_word
    check_count(len(current))


def delete_filter(session: Session, *, filter_id: int, user_id: int) -> None:
    get_filter(session, filter_id=filter_id, user_id=user_id)
    session.execute(delete(Filter).where(Filter.id == filter_id))
    _refresh_flag(session, user_id)
    session.commit()


def get_filter(session: Session, *, filter_id: int, user_id: int) -> Filter:
    row = session.get(Filter, filter_id)
    if row is None or row.user_id != user_id:
        raise NotFound("Record not found")
    return row


def keywords_of(session: Session, filter_id: int) -> list[FilterKeyword]:
    query = select(FilterKeyword).where(FilterKeyword.filter_id == filter_id)
    return list(session.scalars(query.order_by(FilterKeyword.id)))


def statuses_of(session: Session, filter_id: int) -> list[FilterStatus]:
    query = select(FilterStatus).where(FilterStatus.filter_id == filter_id)
    return list(session.scalars(query.order_by(FilterStatus.id)))


def view(session: Session, *, filter_id: int, user_id: int) -> FilterView:
    row = get_filter(session, filter_id=filter_id, user_id=user_id)
    return FilterView(row, keywords_of(session, row.id), statuses_of(session, row.id))


def my_filters(session: Session, *, user_id: int) -> list[FilterView]:
    """Every filter of a person, expired ones too, with keywords and statuses: 3 statements."""
    rows = session.scalars(select(Filter).where(Filter.user_id == user_id).order_by(Filter.id))
    views = {row.id: FilterView(row) for row in rows}
    ids = list(views)
    if not ids:
        return []
    keywords = select(FilterKeyword).where(FilterKeyword.filter_id.in_(ids))
    for keyword in session.scalars(keywords.order_by(FilterKeyword.id)):
        views[keyword.filter_id].keywords.append(keyword)
    statuses = select(FilterStatus).where(FilterStatus.filter_id.in_(ids))
    for status in session.scalars(statuses.order_by(FilterStatus.id)):
        views[status.filter_id].statuses.append(status)
    return list(views.values())
