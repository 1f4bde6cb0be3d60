"""Migrations: one linear chain, and upgrading from empty gives exactly the models (no drift), on SQLite and,
when a test server is set, on PostgreSQL (issue 10 item 1)."""

from __future__ import annotations

from collections.abc import Callable

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from remoteedu_desktop.data import migrate
from remoteedu_desktop.data.database import open_database
from remoteedu_desktop.data.engine import make_engine
from remoteedu_desktop.data.models import Base


def test_revision_chain_is_linear() -> None:
    script = migrate.script_directory()
    heads = script.get_heads()
    assert len(heads) == 1, f"several heads: {heads}"
    revisions = list(script.walk_revisions())
    bases = [r for r in revisions if r.down_revision is None]
    assert len(bases) == 1
    for rev in revisions:
        assert not isinstance(rev.down_revision, tuple | list), f"merge revision {rev.revision}"
        assert len(rev.nextrev) <= 1, f"branch at {rev.revision}"


def test_upgrade_from_empty_matches_models(database_url: Callable[..., str]) -> None:
    engine = make_engine(database_url("m.sqlite3", empty=True))
    migrate.upgrade_to_head(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}), Base.metadata)
    assert diff == []
    assert migrate.current_revision(engine) == migrate.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    engine.dispose()


def test_partial_unique_indexes_survive_migration(database_url: Callable[..., str]) -> None:
    engine = make_engine(database_url("m.sqlite3", empty=True))
    migrate.upgrade_to_head(engine)
    indexes = {ix["name"]: ix for ix in inspect(engine).get_indexes("post")}
    assert indexes["uq_post_open_slot"]["unique"]
    where = indexes["uq_post_open_slot"]["dialect_options"][f"{engine.dialect.name}_where"]
    assert "end_date IS NULL" in str(where)
    engine.dispose()


def test_migration_drift_is_detected(database_url: Callable[..., str]) -> None:
    """The drift check can fail: a table missing from the database shows up as a difference."""
    db = open_database(database_url("m.sqlite3"))
    with db.engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE award")
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    assert any(d[0] == "add_table" and d[1].name == "award" for d in diff)
    db.dispose()


def test_upgrade_with_data_and_back(database_url: Callable[..., str]) -> None:
    """A database at the previous revision, with audit rows, upgrades in place and downgrades again, on both
    backends (0004 widens audit_log columns that PostgreSQL enforces and SQLite never did)."""
    from alembic import command
    from sqlalchemy import text

    engine = make_engine(database_url("m.sqlite3", empty=True))
    with engine.begin() as conn:
        command.upgrade(migrate.alembic_config(conn), "0003")
        conn.execute(text("INSERT INTO audit_log (at, account, office, table_name, record_id, action) "
                          "VALUES (CURRENT_TIMESTAMP, 'clerk1', '360499100', 'person', :rid, 'insert')"),
                     {"rid": "a" * 36})
    migrate.upgrade_to_head(engine)
    long_key = "certificates.scan." + "b" * 150
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_log (at, account, office, table_name, record_id, action) "
                          "VALUES (CURRENT_TIMESTAMP, :acc, '360499100', 'app_setting', :rid, 'delete')"),
                     {"rid": long_key, "acc": "c" * 100})
        rows = conn.execute(text("SELECT record_id FROM audit_log ORDER BY id")).scalars().all()
    assert rows == ["a" * 36, long_key]
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE table_name = 'app_setting'"))
        command.downgrade(migrate.alembic_config(conn), "0003")
    assert migrate.current_revision(engine) == "0003"
    engine.dispose()
