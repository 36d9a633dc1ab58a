"""A filter's keywords and statuses one at a time (Mastodon's /api/v2/filters/:id/keywords,
/keywords/:id, /:id/statuses, /statuses/:id); only the filter's owner reaches them."""

from sqlalchemy import select
from sqlalchemy.orm import Session

from webapp.crud.errors import NotFound
from webapp.crud.filters import BadFilter, check_count, clean_keyword, get_filter, keywords_of
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
