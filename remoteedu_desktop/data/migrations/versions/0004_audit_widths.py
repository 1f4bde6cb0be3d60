"""audit log: record ids up to 200 characters (settings keys), accounts up to 100 (issue 10 item 1)

SQLite never enforced the old widths; PostgreSQL does, and refused the audit row of a long settings key.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('audit_log') as batch:
        batch.alter_column('record_id', existing_type=sa.String(length=36), type_=sa.String(length=200),
                           existing_nullable=True)
        batch.alter_column('account', existing_type=sa.String(length=50), type_=sa.String(length=100),
                           existing_nullable=False)


def downgrade() -> None:
    with op.batch_alter_table('audit_log') as batch:
        batch.alter_column('account', existing_type=sa.String(length=100), type_=sa.String(length=50),
                           existing_nullable=False)
        batch.alter_column('record_id', existing_type=sa.String(length=200), type_=sa.String(length=36),
                           existing_nullable=True)
