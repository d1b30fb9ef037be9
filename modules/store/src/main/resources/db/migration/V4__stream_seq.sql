-- The highest seq each stream has used, partials included: a stream resumed after a restart numbers on past it, so
-- no subscriber (Kaltura's captionUrl among them) ever sees one seq twice.
CREATE TABLE stream_seq (
    stream_id VARCHAR(128) PRIMARY KEY,
    last_seq  BIGINT NOT NULL
);
