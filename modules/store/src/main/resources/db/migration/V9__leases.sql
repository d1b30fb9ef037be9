-- The nodes of a cluster on one database and the leases they hold (issue 13): one owner per REACH Live task
-- (task:<region>/<id>) and per stream id (stream:<id>). Times are the database's clock, so nodes' clocks may differ.
-- Portable SQL: H2 and PostgreSQL.
CREATE TABLE cluster_node (
    node_id      VARCHAR(64)  NOT NULL PRIMARY KEY,
    address      VARCHAR(200) NOT NULL,
    started_at   TIMESTAMP WITH TIME ZONE NOT NULL,
    heartbeat_at TIMESTAMP WITH TIME ZONE NOT NULL
);

CREATE TABLE lease (
    resource    VARCHAR(200) NOT NULL PRIMARY KEY,
    owner       VARCHAR(64)  NOT NULL,
    expires_at  TIMESTAMP WITH TIME ZONE NOT NULL,  -- free for another node from then on
    acquired_at TIMESTAMP WITH TIME ZONE NOT NULL,  -- when the current owner took it
    generation  BIGINT       NOT NULL               -- one more each time the owner changes: a fencing number
);
CREATE INDEX lease_owner ON lease (owner);
