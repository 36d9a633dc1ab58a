"""Reading a filter from a Mastodon request body: `context[]`, `expires_in`, and Rails-style
nested `keywords_attributes` (a form's `keywords_attributes[][keyword]=...` or
`keywords_attributes[0][keyword]=...`, or JSON's list of objects), with `_destroy`."""

import re
from typing import Annotated, Any

from fastapi import Depends, Request

from webapp.crud.filters import KeywordChange
from webapp.mastodon.body import Params, plain
from webapp.mastodon.errors import MastodonError

MAX_ATTRIBUTES = 100
_NESTED = re.compile(r"^keywords_attributes\[(\d*)\]\[(\w+)\]$")
_FORMS = ("application/x-www-form-urlencoded", "multipart/form-data")


async def filter_params(request: Request, values: Params) -> dict[str, Any]:
    """The body as body.params reads it, plus the nested keyword attributes of a form."""
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind in _FORMS:
        form = await request.form()  # parsed once already: Starlette keeps it
        nested = _from_form([(k, v) for k, v in form.multi_items() if isinstance(v, str)])
        if nested:
            values["keywords_attributes"] = nested
    return values


FilterParams = Annotated[dict[str, Any], Depends(filter_params)]


def _from_form(items: list[tuple[str, str]]) -> list[dict[str, str]]:
    """`[][name]` starts a new keyword when the name repeats; `[N][name]` groups by N."""
    anonymous: list[dict[str, str]] = []
    indexed: dict[str, dict[str, str]] = {}
    for key, value in items:
        match = _NESTED.match(key)
        if match is None:
            continue
        index, name = match.groups()
        if index:
            indexed.setdefault(index, {})[name] = value
        elif not anonymous or name in anonymous[-1]:
            anonymous.append({name: value})
        else:
            anonymous[-1][name] = value
    return anonymous + [indexed[k] for k in sorted(indexed, key=int)]


def flag(value: object, default: bool) -> bool:
    if value is None or value == "":
        return default
    return value is True or str(value).lower() in ("1", "true", "on", "yes")


def keyword_changes(values: dict[str, Any]) -> list[KeywordChange]:
    raw = values.get("keywords_attributes", values.get("keywords_attributes[]")) or []
    if isinstance(raw, dict):  # JSON in Rails' indexed shape: {"0": {...}, "1": {...}}
        raw = list(raw.values())
    if not isinstance(raw, list) or len(raw) > MAX_ATTRIBUTES:
        raise MastodonError(422, "Validation failed: keywords_attributes must be a list")
    return [_change(item) for item in raw]


def _change(item: object) -> KeywordChange:
    if not isinstance(item, dict):
        raise MastodonError(422, "Validation failed: each keyword must be an object")
    keyword = item.get("keyword")
    if keyword is not None and not isinstance(keyword, str):
        raise MastodonError(422, "Validation failed: keyword must be a string")
    return KeywordChange(
        keyword=plain(keyword or "", "keyword", status=422),
        whole_word=None if item.get("whole_word") in (None, "") else flag(item["whole_word"], True),
        id=_id(item.get("id")),
        destroy=flag(item.get("_destroy"), False),
    )


def _id(value: object) -> int | None:
    if value is None or value == "":
        return None
    try:
        number = int(str(value))
    except ValueError:
        raise MastodonError(404, "Record not found") from None
    if not 0 < number < 2**31:
        raise MastodonError(404, "Record not found")
    return number


def context_list(values: dict[str, Any]) -> list[str] | None:
    raw = values.get("context[]", values.get("context"))
    if raw is None:
        return None
    items = raw if isinstance(raw, list) else [raw]
    if not all(isinstance(item, str) for item in items):
        raise MastodonError(422, "Validation failed: context must be a list of names")
    return [item for item in items if item]


def expires_in(values: dict[str, Any]) -> int | None:
    """Seconds from now; empty or null means never."""
    raw = values.get("expires_in")
    if raw is None or raw == "":
        return None
    try:
        seconds = int(str(raw))
    except ValueError:
        raise MastodonError(
            422, "Validation failed: expires_in must be a number of seconds"
        ) from None
    return seconds
