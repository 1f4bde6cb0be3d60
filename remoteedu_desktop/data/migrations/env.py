"""Alembic environment: always run programmatically with a connection handed in
(see :mod:`remoteedu_desktop.data.migrate`); batch mode so SQLite can alter tables."""

from __future__ import annotations

from alembic import context

from remoteedu_desktop.data.models import Base

config = context.config
target_metadata = Base.metadata


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is None:
        from remoteedu_desktop.data.engine import make_engine
        from remoteedu_desktop.paths import database_url

        engine = make_engine(config.get_main_option("sqlalchemy.url") or database_url())
        with engine.begin() as conn:
            _run(conn)
        engine.dispose()
    else:
        _run(connection)


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    raise SystemExit("offline migrations are not supported")
run_migrations_online()
