"""dead_letters.replay_requested_at, redelivered_at: dead letters can be sent again

Revision ID: i22_dead_letter_replay
Revises: 0005
Create Date: 2026-12-06

``wire publish --replay`` and ``POST /admin/dead-letters/replay`` redeliver dead letters; these
columns record a pending request and the redelivery, so a letter is delivered at most once more.
"""

import sqlalchemy as sa
from alembic import op

revision = "i22_dead_letter_replay"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dead_letters", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("replay_requested_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch_op.add_column(sa.Column("redelivered_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("dead_letters", schema=None) as batch_op:
        batch_op.drop_column("redelivered_at")
        batch_op.drop_column("replay_requested_at")
