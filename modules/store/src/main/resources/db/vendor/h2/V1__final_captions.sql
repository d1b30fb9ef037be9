-- Final captions, stored before they are sent: from_seq replay, reconnects to Kaltura's captionUrl and the
-- delivered transcript all read from here.
CREATE TABLE final_caption (
    stream_id   VARCHAR(128) NOT NULL,
    seq         BIGINT       NOT NULL,
    utterance   BIGINT       NOT NULL,
    start_ms    BIGINT       NOT NULL,
    end_ms      BIGINT       NOT NULL,
    start_epoch BIGINT       NOT NULL,
    start_pts   BIGINT       NOT NULL,
    text        VARCHAR(4000) NOT NULL,
    message     CLOB         NOT NULL,  -- the caption message exactly as sent (JSON)
    stored_at   TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (stream_id, seq)
);
