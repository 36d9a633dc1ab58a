"""Alembic environment: the URL comes from the app's settings, the target from its models."""

from logging.config import fileConfig

from sqlalchemy import engine_from_config, pool

from alembic import context
from webapp import models
from webapp.config import settings
from webapp.search_schema import include_object

config = context.config
if config.config_file_name is not None and config.attributes.get("configure_logger", True):
    fileConfig(config.config_file_name)

# A test may hand in its own URL; otherwise DATABASE_URL / .env decides.
url = config.get_main_option("sqlalchemy.url") or settings.database_url
target_metadata = models.Base.metadata

# Post search (migration 0005) is kept by the database and is not in the models:
# include_object leaves it out of autogenerate's comparison.


def run_migrations_offline() -> None:
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        include_object=include_object,
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connectable = engine_from_config(
        {"sqlalchemy.url": url}, prefix="sqlalchemy.", poolclass=pool.NullPool
    )
    with connectable.connect() as connection:
        # SQLite cannot ALTER most things in place; batch mode rebuilds the table.
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            include_object=include_object,
            render_as_batch=connection.dialect.name == "sqlite",
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
