"""The small calls every app makes on start: rules, peers, activity, emojis, announcements,
preferences. Chirp has no custom emojis, announcements or federation peers: the answers are
empty lists of the documented shape, which apps show as "nothing here"."""

from datetime import UTC, datetime, timedelta
from itertools import pairwise
from typing import Any

from fastapi import APIRouter
from sqlalchemy import case, func, select
from sqlalchemy.orm import InstrumentedAttribute

from webapp.deps import SessionDep
from webapp.mastodon.deps import ReadAccounts
from webapp.mastodon.errors import MastodonRoute
from webapp.models import AuthToken, Tweet, User

router = APIRouter(route_class=MastodonRoute)
WEEKS = 12


@router.get("/api/v1/instance/rules")
def rules() -> list[dict[str, str]]:
    return []


@router.get("/api/v1/instance/peers")
def peers() -> list[str]:
    return []  # Chirp does not federate: it knows no other servers


@router.get("/api/v1/instance/activity")
def activity(session: SessionDep) -> list[dict[str, str]]:
    """The last 12 weeks, newest first: posts, sign-ins and sign-ups per week."""
    start = _week_start(datetime.now(UTC)) - timedelta(weeks=WEEKS - 1)
    weeks = [start + timedelta(weeks=n) for n in range(WEEKS)]
    posts = _per_week(session, Tweet.created_at, weeks)
    logins = _per_week(session, AuthToken.created_at, weeks, distinct=AuthToken.user_id)
    signups = _per_week(session, User.created_at, weeks)
    rows = [
        {
            "week": str(int(week.timestamp())),
            "statuses": str(posts[n]),
            "logins": str(logins[n]),
            "registrations": str(signups[n]),
        }
        for n, week in enumerate(weeks)
    ]
    return rows[::-1]


def _week_start(moment: datetime) -> datetime:
    day = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return day - timedelta(days=day.weekday())


def _per_week(
    session: SessionDep,
    column: InstrumentedAttribute[datetime],
    weeks: list[datetime],
    distinct: InstrumentedAttribute[int] | None = None,
) -> list[int]:
    """One statement: a count per week (of rows, or of distinct `distinct` values)."""
    bounds = [*weeks, weeks[-1] + timedelta(weeks=1)]
    counted = []
    for lo, hi in pairwise(bounds):
        in_week = case(((column >= lo) & (column < hi), distinct if distinct is not None else 1))
        counted.append(func.count(func.distinct(in_week) if distinct is not None else in_week))
    query = select(*counted).where(column >= bounds[0], column < bounds[-1])
    return [int(value or 0) for value in session.execute(query).one()]


@router.get("/api/v1/custom_emojis")
def custom_emojis() -> list[dict[str, Any]]:
    return []


@router.get("/api/v1/announcements")
def announcements() -> list[dict[str, Any]]:
    return []


@router.get("/api/v1/preferences")
def preferences(me: ReadAccounts) -> dict[str, Any]:
    """What apps use as defaults when composing and reading."""
    return {
        "posting:default:visibility": "public",
        "posting:default:sensitive": False,
        "posting:default:language": None,
        "reading:expand:media": "default",
        "reading:expand:spoilers": False,
    }
