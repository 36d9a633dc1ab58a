"""GET and POST /api/v1/markers: where a person stopped reading home and notifications."""

from typing import Annotated, Any

from fastapi import APIRouter, Query

from webapp.crud import markers
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.body import Params
from webapp.mastodon.deps import ReadStatuses, WriteStatuses
from webapp.mastodon.errors import MastodonError, MastodonRoute
from webapp.models import MARKER_TIMELINES

router = APIRouter(prefix="/api/v1/markers", route_class=MastodonRoute)
MAX_ID = 2**31 - 1  # the column is an INTEGER, like every id here


@router.get("")
def get_markers(
    session: SessionDep,
    me: ReadStatuses,
    timeline: Annotated[list[str], Query(alias="timeline[]")] = [],  # noqa: B006
    plain: Annotated[list[str], Query(alias="timeline")] = [],  # noqa: B006
) -> dict[str, Any]:
    rows = markers.get_markers(session, user_id=me.id, timelines=timeline + plain)
    return {row.timeline: serializers.marker(row) for row in rows}


@router.post("")
def set_markers(session: SessionDep, me: WriteStatuses, values: Params) -> dict[str, Any]:
    """Form (`home[last_read_id]=5`) or JSON (`{"home": {"last_read_id": "5"}}`)."""
    moved = {}
    for timeline in MARKER_TIMELINES:
        last_read = _last_read_id(values, timeline)
        if last_read is not None:
            moved[timeline] = serializers.marker(
                markers.set_marker(
                    session, user_id=me.id, timeline=timeline, last_read_id=last_read
                )
            )
    if not moved:
        raise MastodonError(422, "Validation failed: give home or notifications last_read_id")
    return moved


def _last_read_id(values: dict[str, Any], timeline: str) -> int | None:
    nested = values.get(timeline)
    raw = nested.get("last_read_id") if isinstance(nested, dict) else None
    raw = raw if raw is not None else values.get(f"{timeline}[last_read_id]")
    if raw is None:
        return None
    if not str(raw).isdigit() or int(raw) > MAX_ID:
        raise MastodonError(422, f"Validation failed: {timeline} last_read_id must be an id")
    return int(raw)
