"""A filter's keywords and statuses one at a time (Mastodon's /api/v2/filters/:id/keywords,
/keywords/:id, /:id/statuses, /statuses/:id), and the v1 filters older apps still write
(megalodon's only ones): each is one keyword and the filter around it. Only the filter's
owner reaches them."""

from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.crud.errors import NotFound
from webapp.crud.filters import (
    BadFilter,
    FilterView,
    KeywordChange,
    check_count,
    clean_context,
    clean_keyword,
    create_filter,
    delete_filter,
    expiry,
    get_filter,
    keywords_of,
    statuses_of,
)
from webapp.crud.visibility import visible_to
from webapp.models import Filter, FilterKeyword, FilterStatus, Tweet


def add_keyword(
    session: Session, *, filter_id: int, user_id: int, keyword: str, whole_word: bool
) -> FilterKeyword:
    get_filter(session, filter_id=filter_id, user_id=user_id)
    check_count(len(keywords_of(session, filter_id)) + 1)
    row = FilterKeyword(filter_id=filter_id, keyword=clean_keyword(keyword), whole_word=whole_word)
    session.add(row)
    session.commit()
    return row


def get_keyword(session: Session, *, keyword_id: int, user_id: int) -> FilterKeyword:
    query = (
        select(FilterKeyword)
        .join(Filter, Filter.id == FilterKeyword.filter_id)
        .where(FilterKeyword.id == keyword_id, Filter.user_id == user_id)
    )
    row = session.scalar(query)
    if row is None:
        raise NotFound("Record not found")
    return row


def update_keyword(
    session: Session,
    *,
    keyword_id: int,
    user_id: int,
    keyword: str | None = None,
    whole_word: bool | None = None,
) -> FilterKeyword:
    row = get_keyword(session, keyword_id=keyword_id, user_id=user_id)
    if keyword is not None:
        row.keyword = clean_keyword(keyword)
    if whole_word is not None:
        row.whole_word = whole_word
    session.commit()
    return row


def delete_keyword(session: Session, *, keyword_id: int, user_id: int) -> None:
    session.delete(get_keyword(session, keyword_id=keyword_id, user_id=user_id))
    session.commit()


def add_status(session: Session, *, filter_id: int, user_id: int, status_id: int) -> FilterStatus:
    """Filter one post (one the person may see; a repost counts as its original)."""
    get_filter(session, filter_id=filter_id, user_id=user_id)
    query = select(Tweet).where(Tweet.id == status_id, visible_to(user_id))
    tweet = session.scalar(query)
    if tweet is None:
        raise NotFound("Record not found")
    target = tweet.repost_of_id or tweet.id
    found = session.scalar(
        select(FilterStatus).where(
            FilterStatus.filter_id == filter_id, FilterStatus.status_id == target
        )
    )
    if found is not None:
        raise BadFilter("That post is already in this filter.", "status_id")
    row = FilterStatus(filter_id=filter_id, status_id=target)
    session.add(row)
    session.commit()
    return row


def get_status(session: Session, *, filter_status_id: int, user_id: int) -> FilterStatus:
    query = (
        select(FilterStatus)
        .join(Filter, Filter.id == FilterStatus.filter_id)
        .where(FilterStatus.id == filter_status_id, Filter.user_id == user_id)
    )
    row = session.scalar(query)
    if row is None:
        raise NotFound("Record not found")
    return row


def delete_status(session: Session, *, filter_status_id: int, user_id: int) -> None:
    session.delete(get_status(session, filter_status_id=filter_status_id, user_id=user_id))
    session.commit()


# --- v1: a "filter" is one keyword; its phrase titles a new filter, as on Mastodon.


def create_phrase(
    session: Session,
    *,
    user_id: int,
    phrase: str,
    context: Sequence[str],
    irreversible: bool = False,
    whole_word: bool = True,
    expires_in: int | None = None,
) -> FilterView:
    """A filter of one keyword; `irreversible` hides what it catches instead of warning."""
    return create_filter(
        session,
        user_id=user_id,
        title=phrase,
        context=context,
        filter_action="hide" if irreversible else "warn",
        expires_in=expires_in,
        keywords=[KeywordChange(keyword=phrase, whole_word=whole_word)],
    )


def update_phrase(
    session: Session,
    *,
    keyword_id: int,
    user_id: int,
    phrase: str | None = None,
    whole_word: bool | None = None,
    context: Sequence[str] | None = None,
    irreversible: bool | None = None,
    set_expiry: bool = False,
    expires_in: int | None = None,
) -> tuple[Filter, FilterKeyword]:
    """Change the keyword, and what is given of its filter; the filter's settings are
    shared by its other keywords, so (as on Mastodon) they change only for a lone keyword."""
    keyword = get_keyword(session, keyword_id=keyword_id, user_id=user_id)
    row = get_filter(session, filter_id=keyword.filter_id, user_id=user_id)
    before = (list(row.context), row.filter_action, row.expires_at)
    after = (
        before[0] if context is None else clean_context(context),
        before[1] if irreversible is None else "hide" if irreversible else "warn",
        expiry(expires_in) if set_expiry else before[2],
    )
    if after != before and len(keywords_of(session, row.id)) > 1:
        raise BadFilter(
            "These settings belong to a filter with more than one keyword: change them "
            "in a newer app or on the filters page.",
            "context",
        )
    row.context, row.filter_action, row.expires_at = after
    if phrase is not None:
        keyword.keyword = clean_keyword(phrase)
    if whole_word is not None:
        keyword.whole_word = whole_word
    session.commit()
    return row, keyword


def delete_phrase(session: Session, *, keyword_id: int, user_id: int) -> None:
    """The keyword goes; a filter it leaves empty goes too (Mastodon keeps it, but a v1 app
    made it for this one phrase, and its person would find a blank filter on the web)."""
    keyword = get_keyword(session, keyword_id=keyword_id, user_id=user_id)
    filter_id = keyword.filter_id
    delete_keyword(session, keyword_id=keyword_id, user_id=user_id)
    if not keywords_of(session, filter_id) and not statuses_of(session, filter_id):
        delete_filter(session, filter_id=filter_id, user_id=user_id)
