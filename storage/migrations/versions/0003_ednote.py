"""ednote: the agency's note to editors on the current version

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25

NewsML-G2 ``edNote`` and NITF ``ed-msg`` (often the reason for a kill) are part of the record;
history rows already keep them inside ``article_versions.record``.
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("ednote", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("ednote")
