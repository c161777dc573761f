"""feeds.item_digests: the digests of the items a source's last stored payload held

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-25

The daemon leaves items with a known digest out of the next parse (``wire.ingest.parsing``); kept
in the feed row so a restarted daemon, or the one that takes the lease over, does the same.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("item_digests", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("feeds", schema=None) as batch_op:
        batch_op.drop_column("item_digests")
