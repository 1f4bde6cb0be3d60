"""Data layer: SQLAlchemy 2 models, engine, session scope, migrations, backups. No Qt here."""
