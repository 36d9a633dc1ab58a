"""A psycopg cursor whose `description` is built when something reads it (webapp/db.py)."""

from collections.abc import Sequence
from typing import Any, overload

import psycopg
from psycopg.pq.abc import PGresult


class _Description(Sequence[psycopg.Column]):
    """A result's columns, as `Cursor.description` lists them, made on first use.

    psycopg's Column reads the cursor's current result: this one must still be it, which
    holds for every reader of a description (SQLAlchemy reads it right after execute)."""

    __slots__ = ("_columns", "_cursor", "_result")

    def __init__(self, cursor: psycopg.Cursor[Any], result: PGresult) -> None:
        self._cursor = cursor
        self._result = result
        self._columns: list[psycopg.Column] | None = None

    def __len__(self) -> int:
        return self._result.nfields

    @overload
    def __getitem__(self, index: int) -> psycopg.Column: ...
    @overload
    def __getitem__(self, index: slice) -> list[psycopg.Column]: ...
    def __getitem__(self, index: int | slice) -> psycopg.Column | list[psycopg.Column]:
        if self._columns is None:
            if self._cursor.pgresult is not self._result:
                raise psycopg.InterfaceError("description read after the cursor moved on")
            self._columns = [psycopg.Column(self._cursor, i) for i in range(len(self))]
        return self._columns[index]


class DescribedLazily(psycopg.Cursor[Any]):
    @property
    def description(self) -> Sequence[psycopg.Column] | None:  # type: ignore[override]
        result = self.pgresult
        if result is None or not result.nfields:
            return super().description
        return _Description(self, result)
