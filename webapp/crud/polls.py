"""Polls: created with their post, voted on once per person, read a page at a time.

A poll's id is its post's id. Counts change by atomic UPDATEs in the vote's transaction;
the primary key of poll_votes (poll, voter, option) refuses a repeated choice even when two
requests race.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from sqlalchemy import exists, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from webapp.crud.errors import AlreadyVoted, InvalidPoll, NotFound, PollClosed
from webapp.crud.visibility import visible_to
from webapp.models import POLL_OPTION_MAX, Poll, PollOption, PollVote, Tweet, utcnow

MIN_OPTIONS, MAX_OPTIONS = 2, 4
MIN_EXPIRES, MAX_EXPIRES = 300, 7 * 24 * 3600  # 5 minutes .. 7 days, in seconds


@dataclass(frozen=True)
class PollSpec:
    """A poll as asked for, before it is checked."""

    options: Sequence[str]
    expires_in: int
    multiple: bool = False
    hide_totals: bool = False


class PollView(NamedTuple):
    """A poll as every reader sees it (hashable: it is part of a cached card)."""

    id: int
    expires_at: datetime
    multiple: bool
    hide_totals: bool
    votes_count: int
    voters_count: int
    options: tuple[tuple[str, int], ...]  # (title, votes), by position

    def expired(self, now: datetime | None = None) -> bool:
        return aware(self.expires_at) <= (now or utcnow())


def author(session: Session, *, poll_id: int, viewer_id: int | None) -> int:
    """Who posted the poll; NotFound unless the viewer may see the post (a hidden poll is
    never confirmed)."""
    owner = session.scalar(select(Tweet.owner_id).where(Tweet.id == poll_id, visible_to(viewer_id)))
    if owner is None:
        raise NotFound("Tweet not found")
    return owner


def aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)  # SQLite gives naive UTC


def check(spec: PollSpec) -> list[str]:
    """The options, stripped, or InvalidPoll with what is wrong in plain words."""
    options = [option.strip() for option in spec.options]
    if not MIN_OPTIONS <= len(options) <= MAX_OPTIONS:
        raise InvalidPoll(f"A poll needs {MIN_OPTIONS} to {MAX_OPTIONS} options")
    if any(not option for option in options):
        raise InvalidPoll("A poll option can't be empty")
    if any(len(option) > POLL_OPTION_MAX or "\x00" in option for option in options):
        raise InvalidPoll(f"A poll option can have at most {POLL_OPTION_MAX} characters")
    if len({option.lower() for option in options}) < len(options):
        raise InvalidPoll("Poll options must differ")
    if not MIN_EXPIRES <= spec.expires_in <= MAX_EXPIRES:
        raise InvalidPoll("A poll lasts from 5 minutes to 7 days")
    return options


def attach(session: Session, tweet: Tweet, spec: PollSpec) -> None:
    """Add the poll of a new, flushed post (the caller checked it and commits)."""
    options = check(spec)
    expires_at = utcnow() + timedelta(seconds=spec.expires_in)
    session.add(Poll(tweet_id=tweet.id, expires_at=expires_at, multiple=spec.multiple,
                     hide_totals=spec.hide_totals))  # fmt: skip
    session.flush()
    rows = [{"poll_id": tweet.id, "position": i, "title": t} for i, t in enumerate(options)]
    session.execute(insert(PollOption), rows)


def vote(session: Session, *, poll_id: int, user_id: int, choices: Sequence[int]) -> None:
    """Vote once, before the poll ends, on someone else's post you may see (else NotFound).
    The author sees the results, never the choices, as on Mastodon."""
    if author(session, poll_id=poll_id, viewer_id=user_id) == user_id:
        raise InvalidPoll("You cannot vote in your own poll")
    # Locked until the commit (PostgreSQL): two votes of one person cannot both pass the
    # "already voted" check with different options (SQLite has one writer at a time).
    poll = session.get(Poll, poll_id, with_for_update=True)
    if poll is None:
        raise NotFound("Poll not found")
    if aware(poll.expires_at) <= utcnow():
        raise PollClosed()
    chosen = _checked_choices(session, poll, choices)
    if session.scalar(
        select(exists().where(PollVote.poll_id == poll_id, PollVote.user_id == user_id))
    ):
        raise AlreadyVoted()
    try:
        rows = [{"poll_id": poll_id, "user_id": user_id, "position": p} for p in chosen]
        session.execute(insert(PollVote), rows)
    except IntegrityError:
        session.rollback()
        raise AlreadyVoted() from None
    session.execute(
        update(PollOption)
        .where(PollOption.poll_id == poll_id, PollOption.position.in_(chosen))
        .values(votes_count=PollOption.votes_count + 1)
    )
    session.execute(
        update(Poll)
        .where(Poll.tweet_id == poll_id)
        .values(votes_count=Poll.votes_count + len(chosen), voters_count=Poll.voters_count + 1)
    )
    session.commit()


def _checked_choices(session: Session, poll: Poll, choices: Sequence[int]) -> list[int]:
    count = len(
        session.scalars(
            select(PollOption.position).where(PollOption.poll_id == poll.tweet_id)
        ).all()
    )
    chosen = sorted(set(choices))
    if not chosen:
        raise InvalidPoll("Choose an option first")
    if len(chosen) != len(choices) or any(not 0 <= c < count for c in chosen):
        raise InvalidPoll("Choose among the poll's options, each once")
    if len(chosen) > 1 and not poll.multiple:
        raise InvalidPoll("This poll takes one choice")
    return chosen


def polls_for(session: Session, tweet_ids: Iterable[int]) -> dict[int, PollView]:
    """The polls of these posts (those that have one): one statement."""
    ids = list(tweet_ids)
    if not ids:
        return {}
    query = (
        select(Poll, PollOption)
        .join(PollOption, PollOption.poll_id == Poll.tweet_id)
        .where(Poll.tweet_id.in_(ids))
        .order_by(PollOption.poll_id, PollOption.position)
    )
    polls: dict[int, Poll] = {}
    options: dict[int, list[tuple[str, int]]] = {}
    for poll, option in session.execute(query):
        polls[poll.tweet_id] = poll
        options.setdefault(poll.tweet_id, []).append((option.title, option.votes_count))
    return {i: _view(p, options[i]) for i, p in polls.items()}


def _view(poll: Poll, options: list[tuple[str, int]]) -> PollView:
    return PollView(poll.tweet_id, aware(poll.expires_at), poll.multiple, poll.hide_totals,
                    poll.votes_count, poll.voters_count, tuple(options))  # fmt: skip


def own_votes(
    session: Session, *, user_id: int, poll_ids: Iterable[int]
) -> dict[int, tuple[int, ...]]:
    """The options this person chose, per poll they voted on: one statement."""
    ids = list(poll_ids)
    if not ids:
        return {}
    query = (
        select(PollVote.poll_id, PollVote.position)
        .where(PollVote.user_id == user_id, PollVote.poll_id.in_(ids))
        .order_by(PollVote.poll_id, PollVote.position)
    )
    found: dict[int, list[int]] = {}
    for poll_id, position in session.execute(query):
        found.setdefault(poll_id, []).append(position)
    return {i: tuple(p) for i, p in found.items()}


def one_poll(session: Session, *, poll_id: int, viewer_id: int | None) -> PollView:
    """A poll on a post the viewer may see; NotFound otherwise."""
    author(session, poll_id=poll_id, viewer_id=viewer_id)
    found = polls_for(session, [poll_id])
    if poll_id not in found:
        raise NotFound("Poll not found")
    return found[poll_id]
