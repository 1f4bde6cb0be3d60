"""sync conflicts: values that lost a sync merge, kept for the clerk (issue 6, item 7)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('sync_conflict',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('bundle_id', sa.String(length=36), nullable=False),
    sa.Column('peer_code', sa.String(length=12), nullable=False),
    sa.Column('table_name', sa.String(length=40), nullable=False),
    sa.Column('record_id', sa.String(length=36), nullable=False),
    sa.Column('record_label', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=14), nullable=False),
    sa.Column('winner', sa.String(length=5), nullable=False),
    sa.Column('owner', sa.String(length=100), nullable=False),
    sa.Column('fields_json', sa.Text(), nullable=False),
    sa.Column('at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by', sa.String(length=50), nullable=True),
    sa.Column('resolution', sa.String(length=10), nullable=True),
    sa.CheckConstraint("kind IN ('edit', 'deleted_there', 'deleted_here')", name=op.f('ck_sync_conflict_kind')),
    sa.CheckConstraint("winner IN ('here', 'there')", name=op.f('ck_sync_conflict_winner')),
    sa.CheckConstraint("resolution IS NULL OR resolution IN ('kept', 'took_other')",
                       name=op.f('ck_sync_conflict_resolution')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sync_conflict'))
    )
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sync_conflict_peer_code'), ['peer_code'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('sync_conflict', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_conflict_peer_code'))
    op.drop_table('sync_conflict')
