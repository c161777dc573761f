"""feeds.item_rate, source_hint, poll_interval, latency: the adaptive schedule survives restarts

Revision ID: i18_freshness
Revises: i22_source_rejects
Create Date: 2026-12-06

The learned rate of new items and the source's hint are kept with the source, so a daemon
that restarts or takes the lease over polls at the learned interval from its first poll.
"""

import sqlalchemy as sa
from alembic import op

revision = "i18_freshness"
down_revision = "i22_source_rejects"
branch_labels = None
depends_on = None

COLUMNS = ("item_rate", "source_hint", "poll_interval", "latency")


def upgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
