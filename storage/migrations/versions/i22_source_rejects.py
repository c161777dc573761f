"""feeds.last_reject: the reason of the last rejected payload item, for the `rejecting` state

Revision ID: i22_source_rejects
Revises: i17_search_tokens
Create Date: 2026-12-06

A source that answers but whose payloads are rejected (a login page instead of the feed) is
neither ok nor failing: its health says `rejecting`, with this reason.
"""

import sqlalchemy as sa
from alembic import op

revision = "i22_source_rejects"
down_revision = "i17_search_tokens"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("last_reject", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.drop_column("last_reject")
