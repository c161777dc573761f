"""daemon registry and lease index

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

``daemons``: one row per running daemon, refreshed with its leases, so every daemon knows how
many peers share the sources and takes only its fair share. ``ix_feeds_lease_owner`` keeps
lease renewals and takeovers cheap with thousands of sources.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "daemons",
        sa.Column("id", sa.String(length=200), nullable=False),
        sa.Column("host", sa.String(length=200), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("daemons", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_daemons_last_seen"), ["last_seen"], unique=False)
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_feeds_lease_owner"), ["lease_owner"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_feeds_lease_owner"))
    with op.batch_alter_table("daemons", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_daemons_last_seen"))
    op.drop_table("daemons")
