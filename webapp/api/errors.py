"""Documented error responses and the owner check shared by the API's write routes."""

from typing import Any

from fastapi import HTTPException, status

from webapp.models import User
from webapp.schemas import Message


def doc(code: int, description: str) -> dict[int | str, dict[str, Any]]:
    return {code: {"model": Message, "description": description}}


UNAUTHORIZED = doc(401, "No credentials, or they are wrong or expired")
FORBIDDEN = doc(403, "The credentials are another user's")
USER_NOT_FOUND = doc(404, "User not found")


def doc_422(description: str) -> dict[int | str, dict[str, Any]]:
    """A 422 that is either FastAPI's list of field errors or one plain message (from crud)."""
    either = [
        {"$ref": f"#/components/schemas/{name}"} for name in ("Message", "HTTPValidationError")
    ]
    content = {"application/json": {"schema": {"anyOf": either}}}
    return {422: {"description": description, "content": content}}


# Any route may answer 400 for a body that cannot even be decoded (FastAPI's own answer),
# and 503 while the database is unreachable (webapp.failures): each module's router says so.
EVERY_ROUTE = {
    **doc(400, "The request body could not be parsed"),
    **doc(503, "The database is unavailable; retry after Retry-After"),
}
RATE_LIMITED = doc(429, "Too many attempts; wait for Retry-After seconds")


def ensure_owner(current: User, user_id: int) -> None:
    if current.id != user_id:
        raise HTTPException(status.HTTP_403_FORBIDDEN, "You can only act as yourself")
