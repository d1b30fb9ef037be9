-- API keys and per-stream tokens (issue 12). Only the SHA-256 of a secret is kept (hex); a revoked row stays, marked,
-- so the id keeps meaning something in logs. Portable SQL: H2 today, PostgreSQL later.
CREATE TABLE credential (
    id          VARCHAR(32)  NOT NULL PRIMARY KEY,
    secret_hash CHAR(64)     NOT NULL UNIQUE,
    role        VARCHAR(16)  NOT NULL,
    stream_id   VARCHAR(128),
    label       VARCHAR(200),
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL,
    revoked_at  TIMESTAMP WITH TIME ZONE
);
