-- What each process on the store is and carries, for GET /v1/cluster (issue 13): a node (REACH tasks, streams) or an
-- ASR worker (serve --role worker: /v1/vosk sessions for nodes' remote engines), and its load as of its last
-- heartbeat. Only nodes count when nodes share out tasks. Portable SQL: H2 and PostgreSQL.
ALTER TABLE cluster_node ADD COLUMN role VARCHAR(16) DEFAULT 'node' NOT NULL;
ALTER TABLE cluster_node ADD COLUMN live_streams INTEGER DEFAULT 0 NOT NULL;
-- a worker's /v1/vosk sessions open now and its cap (limits.max_vosk_sessions, 0 = no cap); -1 on a node
ALTER TABLE cluster_node ADD COLUMN open_sessions INTEGER DEFAULT -1 NOT NULL;
ALTER TABLE cluster_node ADD COLUMN max_sessions INTEGER DEFAULT -1 NOT NULL;
