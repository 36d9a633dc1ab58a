"""Polls: `poll[...]` on POST /api/v1/statuses, GET /api/v1/polls/:id, POST .../votes."""

from typing import Any

from fastapi import APIRouter, Path

from webapp.crud import polls
from webapp.crud.polls import PollSpec
from webapp.deps import SessionDep
from webapp.mastodon import serializers
from webapp.mastodon.body import Params
from webapp.mastodon.deps import Viewer, WriteStatuses
from webapp.mastodon.errors import MastodonError, MastodonRoute

router = APIRouter(prefix="/api/v1/polls", route_class=MastodonRoute)
PollId = Path(ge=1, le=2**31 - 1)


def _invalid(what: str) -> MastodonError:
    return MastodonError(422, f"Validation failed: {what}")


_FORM_NAMES = [
    ("options", "poll[options][]"),
    ("options", "poll[options]"),
    ("expires_in", "poll[expires_in]"),
    ("multiple", "poll[multiple]"),
    ("hide_totals", "poll[hide_totals]"),
]


def poll_spec(values: dict[str, Any]) -> PollSpec | None:
    """The poll of a new status: JSON `"poll": {...}` or the form's `poll[options][]`,
    `poll[expires_in]`, `poll[multiple]`, `poll[hide_totals]`. None when there is none."""
    nested = values.get("poll")
    if nested is not None and not isinstance(nested, dict):
        raise _invalid("poll must be an object")
    given = nested or {key: values[name] for key, name in _FORM_NAMES if name in values}
    if not given:
        return None
    options = given.get("options")
    options = options if isinstance(options, list) else [options] if options else []
    if not all(isinstance(option, str) for option in options):
        raise _invalid("poll options must be text")
    return PollSpec(options, _seconds(given.get("expires_in")),
                    _flag(given.get("multiple")), _flag(given.get("hide_totals")))  # fmt: skip


def _seconds(raw: object) -> int:
    try:
        return int(str(raw))
    except ValueError:
        raise _invalid("poll expires_in must be a number of seconds") from None


def _flag(raw: object) -> bool:
    return raw is True or str(raw).lower() in ("true", "1", "on")


def _choices(values: dict[str, Any]) -> list[int]:
    """`choices[]=0&choices[]=2` (form), `"choices": [0, "2"]` (JSON) or one `choices=1`."""
    raw = values.get("choices[]", values.get("choices"))
    raw = [] if raw is None else raw if isinstance(raw, list) else [raw]
    if len(raw) > polls.MAX_OPTIONS:
        raise _invalid("choose among the poll's options, each once")
    try:
        return [int(str(choice)) for choice in raw]
    except ValueError:
        raise _invalid("choices must be option numbers") from None


def _answer(session: SessionDep, poll_id: int, viewer_id: int | None) -> dict[str, Any]:
    author = polls.author(session, poll_id=poll_id, viewer_id=viewer_id)
    view = polls.one_poll(session, poll_id=poll_id, viewer_id=viewer_id)
    mine = None
    if viewer_id is not None:
        mine = polls.own_votes(session, user_id=viewer_id, poll_ids=[poll_id]).get(poll_id, ())
    return serializers.poll(view, mine, own=author == viewer_id)


@router.get("/{poll_id}")
def get_poll(session: SessionDep, viewer: Viewer, poll_id: int = PollId) -> dict[str, Any]:
    return _answer(session, poll_id, viewer.id if viewer else None)


@router.post("/{poll_id}/votes")
def vote(
    session: SessionDep, me: WriteStatuses, values: Params, poll_id: int = PollId
) -> dict[str, Any]:
    """choices[] are option positions from 0; once per person, before the poll ends."""
    polls.vote(session, poll_id=poll_id, user_id=me.id, choices=_choices(values))
    return _answer(session, poll_id, me.id)
