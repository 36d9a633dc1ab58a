"""Read markers (Mastodon's /api/v1/markers): where each person stopped reading a timeline."""

from collections.abc import Iterable

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from webapp.crud.errors import DomainError
from webapp.models import MARKER_TIMELINES, Marker, utcnow


class UnknownTimeline(DomainError):
    message = "A marker is kept for the home and notifications timelines only"


def last_read_id_of(
    user_id: int | ColumnElement[int] | InstrumentedAttribute[int], timeline: str
) -> ColumnElement[int]:
    """The marker as an expression (0 when none yet), for statements that compare ids with it.

    Correlated to the enclosing statement's users when `user_id` is a column (the badge),
    at whatever depth it sits: never a FROM of its own, which would read anyone's marker.
    """
    marker = (
        select(Marker.last_read_id)
        .where(Marker.user_id == user_id, Marker.timeline == timeline)
        .correlate_except(Marker)
    )
    return func.coalesce(marker.scalar_subquery(), 0)


def last_read_id(session: Session, *, user_id: int, timeline: str) -> int:
    return session.scalar(select(last_read_id_of(user_id, timeline))) or 0


def get_markers(session: Session, *, user_id: int, timelines: Iterable[str]) -> list[Marker]:
    wanted = set(timelines) & set(MARKER_TIMELINES)
    if not wanted:
        return []
    query = select(Marker).where(Marker.user_id == user_id, Marker.timeline.in_(wanted))
    return list(session.scalars(query))


def set_marker(session: Session, *, user_id: int, timeline: str, last_read_id: int) -> Marker:
    """Move a marker (each move bumps its version, as Mastodon's do); commits."""
    if timeline not in MARKER_TIMELINES:
        raise UnknownTimeline()
    marker = session.get(Marker, (user_id, timeline))
    if marker is None:
        marker = Marker(user_id=user_id, timeline=timeline, last_read_id=last_read_id, version=1)
        session.add(marker)
    else:
        marker.last_read_id, marker.version = last_read_id, marker.version + 1
    marker.updated_at = utcnow()
    try:
        session.commit()
    except IntegrityError:  # a concurrent first write won; move that one instead
        session.rollback()
        return set_marker(session, user_id=user_id, timeline=timeline, last_read_id=last_read_id)
    return marker
