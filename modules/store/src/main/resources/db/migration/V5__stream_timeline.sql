-- Where each stream id's timeline stands between its sources, so that a reconnecting encoder, a restarted pull or a
-- restarted livecap carries on with the same start and utterance numbers (seq is kept by stream_seq/final_caption).
-- end_ms, last_arrival_ms, next_pts, timescale and pts_bits are NULL until the stream has had audio.
CREATE TABLE stream_timeline (
    stream_id       VARCHAR(128) PRIMARY KEY,
    session_no      BIGINT NOT NULL,   -- 1, then one more each time an explicitly ended id is used after its expiry
    next_utterance  BIGINT NOT NULL,
    last_final_end  BIGINT NOT NULL,   -- timeline ms where the last final ended
    end_ms          BIGINT,            -- timeline ms just after the last audio
    last_arrival_ms BIGINT,            -- epoch ms at which that audio arrived
    next_pts        BIGINT,            -- the pts continuous audio would have had next
    timescale       BIGINT,
    pts_bits        INT,
    ended_at_ms     BIGINT NOT NULL,   -- epoch ms of the explicit end of the event; 0 while it is open
    updated_at      TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

-- Which timeline of its stream id each final belongs to; finals stored before this migration belong to the first.
ALTER TABLE final_caption ADD COLUMN session_no BIGINT DEFAULT 1 NOT NULL;
