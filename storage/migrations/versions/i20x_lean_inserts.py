"""articles: one index less, and SQLite's article keys written in one statement

Revision ID: i20x_lean_inserts
Revises: i18b_bursts
Create Date: 2026-12-07

Every new article pays each index of ``articles`` and, on SQLite, the ``article_keys``
trigger (bench/daemon/store_path.py: the articles' INSERT is the store path's largest
statement). Two costs of that go:

- ``ix_articles_versioncreated``: ``ix_articles_versioncreated_id`` (versioncreated, id)
  answers every query the single-column index did (same leading column); the planner
  statistics are read of the composite one (``wire.storage.reads.refresh_planner_stats``).
- SQLite's ``article_keys_insert`` trigger inserted an empty key row, then updated it with
  the article's values (a second lookup, and the key's indexes written twice). It now
  inserts the row with its values at once, or updates it where the full-text view made it
  first (``ON CONFLICT``): the same key and the same values as before.
"""

from importlib import util
from pathlib import Path
from typing import Any

from alembic import op

revision = "i20x_lean_inserts"
down_revision = "i18b_bursts"
branch_labels = None
depends_on = None


def _api_migration() -> Any:
    """Migration 0004, whose key columns and trigger this one rewrites."""
    path = Path(__file__).with_name("0004_api.py")
    spec = util.spec_from_file_location("wire_migration_0004", path)
    assert spec is not None and spec.loader is not None
    module = util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _keys_insert_trigger() -> str:
    api = _api_migration()
    values = (
        "NEW.id, NEW.versioncreated, NEW.language, NEW.source, NEW.pubstatus, NEW.has_images, "
        "NEW.cluster_id, (SELECT ' ' || coalesce(group_concat(value, ' '), '') || ' ' "
        f"FROM json_each(NEW.agencies)), {api._tags('NEW')}"
    )
    return f"""CREATE TRIGGER article_keys_insert AFTER INSERT ON articles BEGIN
         INSERT INTO article_keys (article_id, {api.KEY_COLUMNS}) VALUES ({values})
           ON CONFLICT (article_id) DO UPDATE SET {api.KEY_VALUES_OF_NEW};
       END"""


def _old_keys_insert_trigger() -> str:
    api = _api_migration()
    return f"""CREATE TRIGGER article_keys_insert AFTER INSERT ON articles BEGIN
         INSERT OR IGNORE INTO article_keys (article_id) VALUES (NEW.id);
         UPDATE article_keys SET {api.KEY_VALUES_OF_NEW} WHERE article_id = NEW.id;
       END"""


def upgrade() -> None:
    op.drop_index("ix_articles_versioncreated", table_name="articles")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS article_keys_insert")
        op.execute(_keys_insert_trigger())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS article_keys_insert")
        op.execute(_old_keys_insert_trigger())
    op.create_index("ix_articles_versioncreated", "articles", ["versioncreated"])
