"""api: keyed full-text index and a compact search table on SQLite

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-25

On SQLite the FTS5 table of 0001 is keyed by its own rowid, with the article id an unindexed
column: mapping a match to its article reads the whole stored text row, and the writer's
``DELETE ... WHERE article_id = ?`` scans the full index. Searches over common words at a
million articles took hundreds of milliseconds.

This migration keeps the writer's SQL working unchanged and re-keys the index:

- ``article_keys``: one small row per article with a stable INTEGER key (never renumbered,
  unlike an implicit rowid under VACUUM) and the columns the API filters and sorts searches
  by (versioncreated, language, source, pubstatus, has_images, cluster_id, agencies as
  `` code code ``), kept in step with ``articles`` by triggers.
- ``articles_search``: the FTS5 index, its rowid = ``article_keys.key``, with a ``tags``
  column of filter tokens (language, source, pubstatus, has_images, agencies) so filtered
  searches intersect inside the index.
- ``articles_fts`` becomes a view over the two with INSTEAD OF triggers, so the writer's
  ``INSERT INTO articles_fts`` / ``DELETE FROM articles_fts WHERE article_id = ?`` now land in
  ``articles_search`` by key (an indexed lookup, not a scan).

PostgreSQL is unchanged (its ``search_vector`` column lives in ``articles``).
"""

from alembic import op

revision = "0004"


down_revision = "0003"
branch_labels = None
depends_on = None

TOKENIZE = "tokenize = 'unicode61 remove_diacritics 2'"


def _tags(row: str) -> str:
    """SQL for an article's filter tags: one letters-and-digits token per filter value.

    ``zlg<hex language> zso<hex source> zps<hex pubstatus> zim<0|1> zag<hex agency>...``: hex
    keeps any value one token under the FTS5 tokenizer (and no word of a story looks like
    one), so ``language=en AND agency=reuters`` is a doclist intersection inside the index
    instead of a row lookup per match.
    """
    return (
        f"'zlg' || lower(hex(coalesce({row}.language, ''))) || "
        f"' zso' || lower(hex(coalesce({row}.source, ''))) || "
        f"' zps' || lower(hex(coalesce({row}.pubstatus, ''))) || "
        f"' zim' || (CASE WHEN {row}.has_images THEN '1' ELSE '0' END) || "
        f"(SELECT coalesce(group_concat(' zag' || lower(hex(value)), ''), '') "
        f"FROM json_each({row}.agencies))"
    )


KEY_COLUMNS = "versioncreated, language, source, pubstatus, has_images, cluster_id, agencies, tags"
KEY_VALUES_OF_NEW = (
    "versioncreated = NEW.versioncreated, language = NEW.language, source = NEW.source, "
    "pubstatus = NEW.pubstatus, has_images = NEW.has_images, cluster_id = NEW.cluster_id, "
    "agencies = (SELECT ' ' || coalesce(group_concat(value, ' '), '') || ' ' "
    f"FROM json_each(NEW.agencies)), tags = {_tags('NEW')}"
)
KEY_OF_NEW = "(SELECT key FROM article_keys WHERE article_id = NEW.article_id)"

UPGRADE = [
    """CREATE TABLE article_keys (
        key INTEGER PRIMARY KEY,
        article_id VARCHAR(64) NOT NULL UNIQUE,
        versioncreated DATETIME,
        language VARCHAR(16),
        source VARCHAR(100),
        pubstatus VARCHAR(20),
        has_images BOOLEAN,
        cluster_id VARCHAR(64),
        agencies TEXT NOT NULL DEFAULT ' ',
        tags TEXT NOT NULL DEFAULT ''
    )""",
    "CREATE INDEX ix_article_keys_versioncreated ON article_keys (versioncreated, article_id)",
    "CREATE INDEX ix_article_keys_cluster_id ON article_keys (cluster_id)",
    f"CREATE VIRTUAL TABLE articles_search USING fts5(headline, lead, body, tags, {TOKENIZE})",
    # Existing articles in time order, so keys (and index rowids) follow publication.
    f"""INSERT INTO article_keys (article_id, {KEY_COLUMNS})
        SELECT id, versioncreated, language, source, pubstatus, has_images, cluster_id,
               (SELECT ' ' || coalesce(group_concat(value, ' '), '') || ' '
                FROM json_each(articles.agencies)),
               {_tags("articles")}
        FROM articles ORDER BY versioncreated, id""",
    """INSERT INTO articles_search (rowid, headline, lead, body, tags)
       SELECT k.key, f.headline, f.lead, f.body, k.tags
       FROM articles_fts f JOIN article_keys k ON k.article_id = f.article_id""",
    "DROP TABLE articles_fts",
    """CREATE VIEW articles_fts (article_id, headline, lead, body) AS
       SELECT k.article_id, s.headline, s.lead, s.body
       FROM article_keys k JOIN articles_search s ON s.rowid = k.key""",
    f"""CREATE TRIGGER articles_fts_insert INSTEAD OF INSERT ON articles_fts BEGIN
         INSERT OR IGNORE INTO article_keys (article_id) VALUES (NEW.article_id);
         DELETE FROM articles_search WHERE rowid = {KEY_OF_NEW};
         INSERT INTO articles_search (rowid, headline, lead, body, tags)
           VALUES ({KEY_OF_NEW}, NEW.headline, NEW.lead, NEW.body,
                   (SELECT tags FROM article_keys WHERE article_id = NEW.article_id));
       END""",
    """CREATE TRIGGER articles_fts_delete INSTEAD OF DELETE ON articles_fts BEGIN
         DELETE FROM articles_search
           WHERE rowid = (SELECT key FROM article_keys WHERE article_id = OLD.article_id);
       END""",
    f"""CREATE TRIGGER article_keys_insert AFTER INSERT ON articles BEGIN
         INSERT OR IGNORE INTO article_keys (article_id) VALUES (NEW.id);
         UPDATE article_keys SET {KEY_VALUES_OF_NEW} WHERE article_id = NEW.id;
       END""",
    f"""CREATE TRIGGER article_keys_update AFTER UPDATE OF versioncreated, language, source,
         pubstatus, has_images, cluster_id, agencies ON articles BEGIN
         UPDATE article_keys SET {KEY_VALUES_OF_NEW} WHERE article_id = NEW.id;
       END""",
    # Filter tags live in the index too: refresh them when a filtered column changes without
    # the writer rewriting the text (a new version rewrites the whole entry anyway).
    f"""CREATE TRIGGER articles_search_tags AFTER UPDATE OF language, source, pubstatus,
         has_images, agencies ON articles
       WHEN NEW.language IS NOT OLD.language OR NEW.source IS NOT OLD.source
         OR NEW.pubstatus IS NOT OLD.pubstatus OR NEW.has_images IS NOT OLD.has_images
         OR NEW.agencies IS NOT OLD.agencies BEGIN
         UPDATE articles_search SET tags = {_tags("NEW")}
           WHERE rowid = (SELECT key FROM article_keys WHERE article_id = NEW.id);
       END""",
    """CREATE TRIGGER article_keys_delete AFTER DELETE ON articles BEGIN
         DELETE FROM articles_search
           WHERE rowid = (SELECT key FROM article_keys WHERE article_id = OLD.id);
         DELETE FROM article_keys WHERE article_id = OLD.id;
       END""",
]

DOWNGRADE = [
    "DROP TRIGGER IF EXISTS article_keys_delete",
    "DROP TRIGGER IF EXISTS articles_search_tags",
    "DROP TRIGGER IF EXISTS article_keys_update",
    "DROP TRIGGER IF EXISTS article_keys_insert",
    "DROP TRIGGER IF EXISTS articles_fts_delete",
    "DROP TRIGGER IF EXISTS articles_fts_insert",
    "CREATE TABLE articles_fts_copy AS SELECT article_id, headline, lead, body FROM articles_fts",
    "DROP VIEW articles_fts",
    "CREATE VIRTUAL TABLE articles_fts USING fts5("
    f"article_id UNINDEXED, headline, lead, body, {TOKENIZE})",
    "INSERT INTO articles_fts (article_id, headline, lead, body) "
    "SELECT article_id, headline, lead, body FROM articles_fts_copy",
    "DROP TABLE articles_fts_copy",
    "DROP TABLE articles_search",
    "DROP TABLE article_keys",
]


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in UPGRADE:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for statement in DOWNGRADE:
            op.execute(statement)
