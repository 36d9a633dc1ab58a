"""Scheduled posts on the web: the composer's "Schedule for" field and the /scheduled page
(your scheduled posts, soonest first; change the time or cancel). Plain forms throughout.

Times are the person's own: the form sends a datetime-local value (no zone) and tz_offset,
minutes east of UTC, which static/app.js fills in from the browser for the chosen date
(daylight saving included). Without JavaScript the offset stays 0 and the page says UTC.
"""

from dataclasses import replace
from datetime import UTC, datetime, timedelta, timezone
from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from starlette.responses import Response

from webapp.crud import media as crud_media
from webapp.crud import scheduled
from webapp.crud.errors import InvalidPoll
from webapp.deps import SessionDep
from webapp.media.errors import MediaError
from webapp.models import ScheduledStatus, User, utcnow
from webapp.schemas import DB_INT_MAX
from webapp.web import flash, forms
from webapp.web.accounts import FORM_ERROR, Viewer, login_redirect
from webapp.web.responses import see_other
from webapp.web.templating import is_htmx, render, templates

router = APIRouter(include_in_schema=False)
ScheduledId = Annotated[int, Path(ge=1, le=DB_INT_MAX)]
LocalTime = Annotated[str, Form(max_length=40)]
Offset = Annotated[str, Form(max_length=8)]
MAX_OFFSET = 14 * 60  # UTC-12:00 .. UTC+14:00 are the zones people live in


class BadTime(ValueError):
    """What is wrong with a typed time, in plain words."""


def zone(offset_minutes: int) -> timezone:
    return timezone(timedelta(minutes=offset_minutes))


def zone_name(offset_minutes: int) -> str:
    if offset_minutes == 0:
        return "UTC"
    sign, minutes = ("+" if offset_minutes > 0 else "-"), abs(offset_minutes)
    return f"UTC{sign}{minutes // 60:02d}:{minutes % 60:02d}"


def shown(moment: datetime, offset_minutes: int = 0) -> str:
    """'Sat 5 Dec 2026, 14:30 (UTC+01:00)': a time as the person reads it."""
    local = scheduled.aware(moment).astimezone(zone(offset_minutes))
    return f"{local:%a} {local.day} {local:%b %Y, %H:%M} ({zone_name(offset_minutes)})"


templates.env.globals["scheduled_time"] = shown


def parse_offset(raw: str) -> int:
    try:
        minutes = int(raw.strip() or "0")
    except ValueError:
        raise BadTime(
            "Chirp couldn't tell your time zone: reload the page and try again."
        ) from None
    if abs(minutes) > MAX_OFFSET:
        raise BadTime("Chirp couldn't tell your time zone: reload the page and try again.")
    return minutes


def parse_when(local: str, offset: str, now: datetime | None = None) -> datetime:
    """The UTC time a person meant, or BadTime saying why it won't do (not a date, in the
    past, less than five minutes away)."""
    minutes = parse_offset(offset)
    try:
        typed = datetime.fromisoformat(local.strip())
        if typed.tzinfo is None:
            typed = typed.replace(tzinfo=zone(minutes))
        moment = typed.astimezone(UTC)
    except (ValueError, OverflowError):  # OverflowError: year 1 east of UTC
        raise BadTime(
            "That isn't a date and time Chirp can read: pick one, or type it like 2026-12-31 18:30."
        ) from None
    current = scheduled.aware(now or utcnow())
    if moment <= current:
        raise BadTime("That time has already passed: choose one in the future.")
    if moment <= current + scheduled.MIN_OFFSET:
        raise BadTime("That's less than 5 minutes from now: choose a later time, or post now.")
    return moment


def schedule_post(
    request: Request,
    session: SessionDep,
    user: User,
    form: forms.Form,
    draft: scheduled.Draft,
    uploads: list[crud_media.Upload],
) -> Response | forms.Form:
    """The composer's post kept for later. Answers the response, or the form with what is
    wrong (the caller shows the composer again)."""
    local, offset = form.values.get("scheduled_for", ""), form.values.get("tz_offset", "0")
    try:
        when = parse_when(local, offset)
        row = _schedule(session, user, draft, uploads, when)
    except BadTime as error:
        form.errors["scheduled_for"] = str(error)
        return form
    except MediaError as error:
        form.errors["images"] = error.message
        return form
    except InvalidPoll as error:
        form.errors["poll"] = error.message
        return form
    except scheduled.ScheduleError as error:
        form.errors["scheduled_for"] = error.message + "."
        return form
    message = f"Scheduled for {shown(row.scheduled_at, parse_offset(offset))}."
    if not is_htmx(request):
        response = see_other("/scheduled")
        flash.attach(response, flash.Note(message=message))
        return response
    compose = {"values": {}, "errors": {}, "notice": message}
    return render(request, "partials/_compose.html", {"compose": compose}, user=user)


def _schedule(
    session: SessionDep,
    user: User,
    draft: scheduled.Draft,
    uploads: list[crud_media.Upload],
    when: datetime,
) -> ScheduledStatus:
    def keep(media_ids: list[int]) -> ScheduledStatus:
        chosen = replace(draft, media_ids=media_ids)
        return scheduled.schedule(session, owner_id=user.id, draft=chosen, scheduled_at=when)

    if not uploads:
        return keep([])
    return crud_media.with_uploads(session, owner_id=user.id, uploads=uploads, then=keep)


# --- The Scheduled page.


def _page(
    request: Request,
    session: SessionDep,
    user: User,
    typed: dict[int, dict[str, str]] | None = None,
) -> Response:
    rows = scheduled.by_time(session, user_id=user.id)
    context = {
        "rows": rows,
        "media": scheduled.media_of(session, rows),
        "typed": typed or {},
    }
    return render(
        request, "scheduled.html", context, user=user, status_code=FORM_ERROR if typed else 200
    )


@router.get("/scheduled")
def scheduled_page(request: Request, session: SessionDep, user: Viewer) -> Response:
    if user is None:
        return login_redirect(request, "/scheduled")
    return _page(request, session, user)


@router.post("/scheduled/{scheduled_id}/time")
def change_time(
    request: Request,
    session: SessionDep,
    user: Viewer,
    scheduled_id: ScheduledId,
    scheduled_for: LocalTime = "",
    tz_offset: Offset = "0",
) -> Response:
    if user is None:
        return login_redirect(request, "/scheduled")
    scheduled.get_scheduled(session, user_id=user.id, scheduled_id=scheduled_id)  # yours?
    try:
        when = parse_when(scheduled_for, tz_offset)
        scheduled.reschedule(session, user_id=user.id, scheduled_id=scheduled_id, scheduled_at=when)
    except (BadTime, scheduled.ScheduleError) as error:
        message = str(error) if isinstance(error, BadTime) else error.message + "."
        typed = {"scheduled_for": scheduled_for, "tz_offset": tz_offset, "error": message}
        return _page(request, session, user, {scheduled_id: typed})
    response = see_other(f"/scheduled#scheduled-{scheduled_id}")
    note = f"Moved to {shown(when, parse_offset(tz_offset))}."
    flash.attach(response, flash.Note(message=note))
    return response


@router.post("/scheduled/{scheduled_id}/delete")
def cancel(
    request: Request, session: SessionDep, user: Viewer, scheduled_id: ScheduledId
) -> Response:
    if user is None:
        return login_redirect(request, "/scheduled")
    scheduled.cancel(session, user_id=user.id, scheduled_id=scheduled_id)
    response = see_other("/scheduled")
    flash.attach(response, flash.Note(message="Cancelled: that post won't be published."))
    return response
