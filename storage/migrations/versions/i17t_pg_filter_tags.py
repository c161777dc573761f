"""filter tags in PostgreSQL's search_vector: a filtered search is a GIN intersection

Revision ID: i17t_pg_filter_tags
Revises: i16_killed_search
Create Date: 2026-12-06

SQLite's FTS5 index has carried each article's filter values as tokens since 0004
(``zlg<hex language> zso<hex source> zim<0|1> zag<hex agency>...``), so ``language=de`` and
``agency=dpa`` narrow the matches inside the index. PostgreSQL checked them on each matching
row instead: a filtered search of a common word visited every row of the word to keep a
fifteenth of them. From here a trigger adds the same tokens to ``search_vector`` whenever the
vector or a filtered column is written, and the query ANDs them into its tsquery. They have
weight D (text has A, B, C): ``rank_vector`` keeps A and B, so ranking never sees them, and a
prefix search starting with "z" is held to A-C. Existing rows get them by rewriting the
vector once through the trigger. SQLite is unchanged.
"""

from alembic import op

revision = "i17t_pg_filter_tags"
down_revision = "i16_killed_search"
branch_labels = None
depends_on = None

# Each tag at position 1 with weight D ("zlg6465:1D ..."); chr(58) is the colon, which a
# literal would make a bind parameter.
TAGS_FUNCTION = """
CREATE OR REPLACE FUNCTION wire_filter_tags(lang text, src text, agencies json, images boolean)
RETURNS tsvector LANGUAGE sql IMMUTABLE AS $$
  SELECT (array_to_string(ARRAY[
      'zlg' || encode(convert_to(coalesce(lang, ''), 'UTF8'), 'hex'),
      'zso' || encode(convert_to(coalesce(src, ''), 'UTF8'), 'hex'),
      'zim' || CASE WHEN images THEN '1' ELSE '0' END
    ] || coalesce(
      (SELECT array_agg('zag' || encode(convert_to(a, 'UTF8'), 'hex'))
       FROM json_array_elements_text(coalesce(agencies, '[]'::json)) AS a),
      '{}'::text[]), chr(58) || '1D ') || chr(58) || '1D')::tsvector
$$
"""

TRIGGER_FUNCTION = """
CREATE OR REPLACE FUNCTION articles_filter_tags() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.search_vector IS NOT NULL THEN
    IF TG_OP = 'UPDATE' THEN
      NEW.search_vector := ts_delete(NEW.search_vector, tsvector_to_array(
        wire_filter_tags(OLD.language, OLD.source, OLD.agencies, OLD.has_images)));
    END IF;
    NEW.search_vector := NEW.search_vector
      || wire_filter_tags(NEW.language, NEW.source, NEW.agencies, NEW.has_images);
  END IF;
  RETURN NEW;
END
$$
"""

TRIGGER = """
CREATE TRIGGER articles_filter_tags
BEFORE INSERT OR UPDATE OF search_vector, language, source, agencies, has_images ON articles
FOR EACH ROW EXECUTE FUNCTION articles_filter_tags()
"""


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(TAGS_FUNCTION)
    op.execute(TRIGGER_FUNCTION)
    op.execute("DROP TRIGGER IF EXISTS articles_filter_tags ON articles")
    op.execute(TRIGGER)
    # Every row is rewritten once: the GIN index is built again afterwards rather than
    # updated a million times.
    op.execute("DROP INDEX IF EXISTS ix_articles_search")
    op.execute("UPDATE articles SET search_vector = search_vector WHERE search_vector IS NOT NULL")
    op.execute("CREATE INDEX ix_articles_search ON articles USING GIN (search_vector)")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS articles_filter_tags ON articles")
    op.execute("DROP INDEX IF EXISTS ix_articles_search")
    op.execute(
        "UPDATE articles SET search_vector = ts_delete(search_vector, tsvector_to_array("
        "wire_filter_tags(language, source, agencies, has_images))) "
        "WHERE search_vector IS NOT NULL"
    )
    op.execute("CREATE INDEX ix_articles_search ON articles USING GIN (search_vector)")
    op.execute("DROP FUNCTION IF EXISTS articles_filter_tags()")
    op.execute("DROP FUNCTION IF EXISTS wire_filter_tags(text, text, json, boolean)")
