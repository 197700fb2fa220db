-- AML on PostgreSQL, schema version 1. {schema} is replaced by the quoted schema name.
-- One row per agent: the version counter every write transaction bumps (and locks, which orders the
-- writers of one agent across processes).
CREATE TABLE {schema}.agents (
    agent   text   PRIMARY KEY,
    version bigint NOT NULL
);

-- One row per item. The typed columns are what queries filter and rank on; doc is the item's exact
-- Loom JSON (key order and unknown fields preserved byte for byte), body the same as jsonb for ad-hoc
-- SQL and GIN indexes. position orders the items of one agent and kind like the Loom file does.
CREATE TABLE {schema}.items (
    agent           text             NOT NULL REFERENCES {schema}.agents (agent),
    kind            text             NOT NULL CHECK (kind IN ('pattern', 'solution', 'decision')),
    position        bigint           NOT NULL,
    id              text             NOT NULL,
    recorded_at     timestamptz,
    last_used       timestamptz,
    success_rate    double precision NOT NULL,
    confidence      double precision NOT NULL,
    execution_count bigint           NOT NULL,
    value_score     double precision NOT NULL,
    active          boolean          NOT NULL,
    tags            text[]           NOT NULL,
    doc             text             NOT NULL,
    body            jsonb            GENERATED ALWAYS AS (doc::jsonb) STORED,
    PRIMARY KEY (agent, kind, position)
);

CREATE INDEX items_by_id ON {schema}.items (agent, kind, id, position);
CREATE INDEX items_by_tags ON {schema}.items USING gin (tags);
CREATE INDEX items_by_success_rate ON {schema}.items (agent, kind, success_rate DESC);
