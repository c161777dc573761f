"""media: pictures and graphics as records, and the links from stories to them

Revision ID: i14_media
Revises: i14_agencies
Create Date: 2026-12-06

``articles.type`` tells stories (text) from media records (picture, graphic); a media record
keeps its files in ``articles.renditions``. ``article_links`` holds the guids a story
references (NewsML packages and links, ninjs associations); they resolve against the new
index on ``articles.guid`` when read, so a picture may arrive before or after its story.
"""

import sqlalchemy as sa
from alembic import op

revision = "i14_media"
down_revision = "i14_agencies"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("type", sa.String(length=20), nullable=False, server_default="text")
        )
        batch_op.add_column(sa.Column("renditions", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("links", sa.JSON(), nullable=True))
        batch_op.create_index("ix_articles_type", ["type"])
        batch_op.create_index("ix_articles_guid", ["guid"])
    op.create_table(
        "article_links",
        sa.Column("article_id", sa.String(length=64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("guid", sa.Text(), nullable=False),
        sa.Column("rel", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(["article_id"], ["articles.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("article_id", "position"),
    )
    op.create_index("ix_article_links_guid", "article_links", ["guid"])


def downgrade() -> None:
    op.drop_index("ix_article_links_guid", table_name="article_links")
    op.drop_table("article_links")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index("ix_articles_guid")
        batch_op.drop_index("ix_articles_type")
        batch_op.drop_column("links")
        batch_op.drop_column("renditions")
        batch_op.drop_column("type")
