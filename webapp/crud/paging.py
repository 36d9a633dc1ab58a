"""Keyset cursors for the JSON lists: `after=<id>` and `before=<id>` instead of OFFSET.

`after` continues the contract's ascending order (the ids greater than the last one seen);
`before` walks back from the newest (ids smaller than it, newest first). Both together
bound a window, newest first. Each page is one index range scan, however deep it is.
"""

from typing import TypeVar

from sqlalchemy import Select
from sqlalchemy.orm import InstrumentedAttribute

T = TypeVar("T")


def keyset(
    query: Select[T],
    column: InstrumentedAttribute[int],
    *,
    before: int | None,
    after: int | None,
) -> Select[T]:
    if after is not None:
        query = query.where(column > after)
    if before is None:
        return query.order_by(column.asc())
    return query.where(column < before).order_by(column.desc())
