-- Retention (store.retention_days): finals are removed by when they were stored, and a stream id's other rows once
-- it has no finals left and has not been written for as long. stream_seq had no time of its own.
ALTER TABLE stream_seq ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL;
CREATE INDEX final_caption_stored_at ON final_caption (stored_at);
