"""changes: PostgreSQL writers number the change feed from a sequence, without a global lock

Revision ID: i20w_parallel_feed
Revises: i19_desk_urgency
Create Date: 2026-12-06

Until now every PostgreSQL write batch held one advisory lock from numbering to commit, so
numbers became visible in commit order -- and several daemons' writes queued behind each
other. Now writers take numbers from ``wire_change_seq`` in parallel, each first registering
(a shared advisory lock, no waits) the lowest number it may still commit, and readers only pass
numbers below the horizon those registrations give (``wire.storage.feedseq``). SQLite has one
writer at a time and keeps numbering by ``MAX(seq) + 1``: nothing changes there.
"""

from alembic import op

revision = "i20w_parallel_feed"
down_revision = "i19_desk_urgency"
branch_labels = None
depends_on = None

# The key of a writer's registration: the schema's hash, so stores in other schemas of one
# database never hold each other's feed back. The second key is the number registered.
_KEY = "hashtext('wire-feed:' || coalesce(current_schema(), ''))"

UPGRADE = f"""
CREATE SEQUENCE wire_change_seq AS integer;
SELECT setval('wire_change_seq', (SELECT coalesce(max(seq), 0) + 1 FROM changes), false);

CREATE FUNCTION wire_change_seqs(n integer) RETURNS SETOF bigint
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
    -- Registered before taking any number: every number this transaction takes from now on
    -- is at least the key, and readers stop below the smallest key of a live transaction.
    -- Once per transaction: the flag is transaction-local and, like the lock, undone by a
    -- rollback to a savepoint taken before it.
    IF current_setting('wire.feed_registered', true) IS DISTINCT FROM 'on' THEN
        PERFORM pg_advisory_xact_lock_shared(
            {_KEY},
            (SELECT CASE WHEN is_called THEN last_value + 1 ELSE last_value END
               FROM wire_change_seq)::integer);
        PERFORM set_config('wire.feed_registered', 'on', true);
    END IF;
    RETURN QUERY SELECT nextval('wire_change_seq') FROM generate_series(1, n);
END $$;

CREATE FUNCTION wire_change_horizon() RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
    taken bigint;
    registered bigint;
BEGIN
    -- First the last number taken, then the live registrations: a number taken before the
    -- first read was registered before it, so its transaction is either still listed or done.
    SELECT CASE WHEN is_called THEN last_value ELSE last_value - 1 END INTO taken
      FROM wire_change_seq;
    SELECT min(objid::bigint) INTO registered
      FROM pg_locks
     WHERE locktype = 'advisory' AND objsubid = 2
       AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
       AND classid = ({_KEY}::bigint & 4294967295)::oid
       AND pid IS DISTINCT FROM pg_backend_pid();
    RETURN least(taken + 1, coalesce(registered, taken + 1));
END $$;
"""

DOWNGRADE = """
DROP FUNCTION IF EXISTS wire_change_horizon();
DROP FUNCTION IF EXISTS wire_change_seqs(integer);
DROP SEQUENCE IF EXISTS wire_change_seq;
"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(UPGRADE)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(DOWNGRADE)
