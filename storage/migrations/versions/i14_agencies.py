"""agencies and signals: raw names of unresolved agency codes, producers, status signals

Revision ID: i14_agencies
Revises: i21_cluster_explain
Create Date: 2026-12-06

An agency name the registry does not know is stored under a stable slug code
("x-lokalagentur"); its raw name goes to ``articles.unresolved_agencies`` (the record field)
and to ``article_agencies.name`` (so ``wire agencies --unresolved`` counts them with an
index). ``articles.producers`` holds makers of content that are not agencies;
``articles.signals`` what status words in the headline said ("1ST LEAD" -> "lead:1").
"""

import sqlalchemy as sa
from alembic import op

revision = "i14_agencies"
down_revision = "i21_cluster_explain"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unresolved_agencies", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("producers", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("signals", sa.JSON(), nullable=True))
    with op.batch_alter_table("article_agencies", schema=None) as batch_op:
        batch_op.add_column(sa.Column("name", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("article_agencies", schema=None) as batch_op:
        batch_op.drop_column("name")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("signals")
        batch_op.drop_column("producers")
        batch_op.drop_column("unresolved_agencies")
