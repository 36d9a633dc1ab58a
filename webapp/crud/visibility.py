"""Who may see a post, as SQL predicates over Tweet.

Stub until conversations merges: the conversations branch brings the real module (a
`visibility` column on tweets). Search already calls both functions, so the merge makes
search respect visibility with no change there.
"""

from sqlalchemy import ColumnElement, true


def visible_to(viewer_id: int | None) -> ColumnElement[bool]:
    """stub until conversations merges"""
    return true()


def publicly_listed() -> ColumnElement[bool]:
    """stub until conversations merges"""
    return true()
