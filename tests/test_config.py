"""Settings read from the environment (webapp/config.py)."""

import pytest

from webapp.config import Settings


@pytest.mark.parametrize("given", ["postgres://me@db:5432/chirp", "postgresql://me@db:5432/chirp"])
def test_a_postgresql_url_without_a_driver_uses_psycopg_3(given: str):
    assert Settings(database_url=given).database_url == "postgresql+psycopg://me@db:5432/chirp"


def test_an_explicit_driver_is_kept():
    url = "postgresql+psycopg2://me@db:5432/chirp"
    assert Settings(database_url=url).database_url == url
    assert Settings(database_url="sqlite:///x.db").database_url == "sqlite:///x.db"
