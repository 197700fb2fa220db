-- AML on PostgreSQL, schema version 2: the one-round-trip item update. {schema} is replaced by the
-- quoted schema name.
--
-- update_item replaces the item at (agent, kind, position) with a new row only if that row still
-- holds p_expected (the doc the caller computed from), bumping the agent's version first (the lock
-- order of every write: agent row, then item rows) and sending the change notification, all in the
-- caller's statement. Called in auto-commit mode it is a whole write transaction in one round trip.
-- When the agent is gone or the row changed meanwhile it raises SQLSTATE AM001 and changes nothing
-- (the statement's implicit transaction rolls back); the caller then falls back to reading the row
-- under a lock.
CREATE FUNCTION {schema}.update_item(
    p_agent text, p_kind text, p_position bigint, p_expected text,
    p_id text, p_recorded_at timestamptz, p_last_used timestamptz, p_success_rate double precision,
    p_confidence double precision, p_execution_count bigint, p_value_score double precision,
    p_active boolean, p_tags text[], p_doc text,
    p_channel text, p_payload text) RETURNS bigint
LANGUAGE plpgsql AS $fn$
DECLARE
    v bigint;
BEGIN
    UPDATE {schema}.agents SET version = version + 1 WHERE agent = p_agent RETURNING version INTO v;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'agent % not found', p_agent USING ERRCODE = 'AM001';
    END IF;
    UPDATE {schema}.items SET recorded_at = p_recorded_at, last_used = p_last_used,
            success_rate = p_success_rate, confidence = p_confidence, execution_count = p_execution_count,
            value_score = p_value_score, active = p_active, tags = p_tags, doc = p_doc
        WHERE agent = p_agent AND kind = p_kind AND position = p_position AND id = p_id AND doc = p_expected;
    IF NOT FOUND THEN
        RAISE EXCEPTION '% % of agent % changed meanwhile', p_kind, p_id, p_agent USING ERRCODE = 'AM001';
    END IF;
    PERFORM pg_notify(p_channel, p_payload);
    RETURN v;
END
$fn$;
