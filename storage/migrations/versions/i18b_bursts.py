"""feeds.burst_share, burst_decay: the intensity law's bursts survive restarts

Revision ID: i18b_bursts
Revises: i17e_pg_search_terms
Create Date: 2026-12-07

How a source's items come in bursts (the follow-ups an item brings and their mean delay),
estimated from its item dates, is kept with the source, so a daemon that restarts or takes
the lease over schedules by it from its first poll.
"""

import sqlalchemy as sa
from alembic import op

revision = "i18b_bursts"
down_revision = "i17e_pg_search_terms"
branch_labels = None
depends_on = None

COLUMNS = ("burst_share", "burst_decay")


def upgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.add_column(sa.Column(name, sa.Float(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        for name in reversed(COLUMNS):
            batch_op.drop_column(name)
