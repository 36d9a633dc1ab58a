"""Mastodon clients send parameters as a form, as JSON, or in the query string: read all three."""

import json
from typing import Annotated, Any

from fastapi import Depends, Request

from webapp.mastodon.errors import MastodonError


async def params(request: Request) -> dict[str, Any]:
    merged: dict[str, Any] = dict(request.query_params)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        try:
            body = json.loads(await request.body() or b"{}")
        except (ValueError, UnicodeDecodeError, RecursionError) as error:
            raise MastodonError(400, "The request body is not valid JSON") from error
        if not isinstance(body, dict):
            raise MastodonError(400, "The request body must be a JSON object")
        if too_deep(body):
            raise MastodonError(400, "The request body is nested too deeply")
        merged.update(body)
    elif kind in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        merged.update({key: form.getlist(key) if key.endswith("[]") else form[key] for key in form})
    return merged


# The deepest honest body is a poll: {"poll": {"options": ["a", "b"]}}. Anything much deeper
# is an attack on whatever walks it later (repr, the error encoder): a RecursionError 500.
MAX_DEPTH = 8


def too_deep(value: object, limit: int = MAX_DEPTH) -> bool:
    """Whether JSON lists and objects nest deeper than `limit`; walked without recursion."""
    level: list[object] = [value]
    for _ in range(limit + 1):
        level = [
            child
            for item in level
            if isinstance(item, dict | list)
            for child in (item.values() if isinstance(item, dict) else item)
        ]
        if not level:
            return False
    return True


Params = Annotated[dict[str, Any], Depends(params)]


def text_param(values: dict[str, Any], name: str, *, required: bool = False) -> str | None:
    """A string parameter, refusing what would break the database (NUL, lone surrogates)."""
    value = values.get(name)
    if value is None or value == "":
        if required:
            raise MastodonError(422, f"Validation failed: {name} can't be blank")
        return None
    if not isinstance(value, str):
        raise MastodonError(422, f"Validation failed: {name} must be a string")
    return plain(value, name, status=422)


def plain(value: str, name: str, *, status: int = 400) -> str:
    """Refuse NUL and lone surrogates: PostgreSQL and UTF-8 would turn them into a 500."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        raise MastodonError(status, f"Validation failed: {name} is not valid text") from error
    if "\x00" in value:
        raise MastodonError(status, f"Validation failed: {name} contains a NUL character")
    return value


def id_list(values: dict[str, Any], name: str, *, most: int) -> list[int]:
    """`name[]=1&name[]=2` (form), `"name": ["1", 2]` (JSON) or a single `name=1`."""
    raw = values.get(f"{name}[]", values.get(name)) or []
    raw = raw if isinstance(raw, list) else [raw]
    try:
        ids = [int(value) for value in raw]
    except (TypeError, ValueError) as error:
        raise MastodonError(422, f"Validation failed: {name} must be ids") from error
    if len(ids) > most or any(not 0 < i < 2**31 for i in ids):
        raise MastodonError(422, f"Validation failed: {name} has too many or invalid ids")
    return ids


_TRUE, _FALSE = ("1", "true", "on"), ("0", "false", "off", "")


def flag(values: dict[str, Any], name: str) -> bool:
    """A boolean as JSON sends it (true) or a form does ("1", "true"; Mastodon.py sends
    "1" and "0"); anything else is a 422, not a guess."""
    value = values.get(name)
    if value is None or isinstance(value, bool):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE + _FALSE:
        return value.strip().lower() in _TRUE
    raise MastodonError(422, f"Validation failed: {name} must be true or false")
