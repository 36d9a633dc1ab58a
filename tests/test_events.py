"""The event bus: events go out when the writer commits, never when it rolls back."""

import asyncio

from sqlalchemy.orm import Session

from webapp import events
from webapp.db import SessionLocal


def _write(event: events.Event, *, commit: bool) -> None:
    with SessionLocal() as session:
        events.emit(session, event)
        if commit:
            session.commit()
        else:
            session.rollback()


async def _received_after(writes: list[tuple[events.Event, bool]]) -> list[events.Event]:
    async with events.bus.subscribe() as queue:
        for event, commit in writes:
            await asyncio.to_thread(_write, event, commit=commit)
        marker = {"type": "test", "n": "last"}
        await asyncio.to_thread(_write, marker, commit=True)
        got: list[events.Event] = []
        while not got or got[-1] != marker:
            got.append(await asyncio.wait_for(queue.get(), 10))
        return got[:-1]


def test_a_rolled_back_write_announces_nothing(session: Session):
    writes = [({"type": "test", "n": 1}, False), ({"type": "test", "n": 2}, True)]
    assert asyncio.run(_received_after(writes)) == [{"type": "test", "n": 2}]
