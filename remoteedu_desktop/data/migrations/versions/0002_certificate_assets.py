"""certificate assets: photos and seals frozen with issued certificates

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('certificate_asset',
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('mime_type', sa.String(length=30), nullable=False),
    sa.Column('data', sa.LargeBinary(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('origin', sa.String(length=12), nullable=False),
    sa.Column('changed_by', sa.String(length=12), nullable=False),
    sa.Column('change_seq', sa.BigInteger(), nullable=False),
    sa.Column('deleted', sa.Boolean(), server_default=sa.false(), nullable=False),
    sa.Column('row_version', sa.Integer(), server_default='1', nullable=False),
    sa.Column('updated_at', sa.DateTime(), server_default=sa.func.current_timestamp(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_certificate_asset'))
    )
    with op.batch_alter_table('certificate_asset', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_certificate_asset_change_seq'), ['change_seq'], unique=False)
        batch_op.create_index('uq_certificate_asset_sha256', ['sha256'], unique=True)


def downgrade() -> None:
    with op.batch_alter_table('certificate_asset', schema=None) as batch_op:
        batch_op.drop_index('uq_certificate_asset_sha256')
        batch_op.drop_index(batch_op.f('ix_certificate_asset_change_seq'))

    op.drop_table('certificate_asset')

