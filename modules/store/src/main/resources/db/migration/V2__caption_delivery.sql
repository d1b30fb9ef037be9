-- How far each push of a stream's captions got: the highest seq the destination confirmed (a websocket pong sent
-- after it came back). A push that reconnects, or restarts with livecap, resends the stored finals after it.
CREATE TABLE caption_delivery (
    stream_id     VARCHAR(128)  NOT NULL,
    destination   VARCHAR(1000) NOT NULL,  -- the captionUrl without its query: a token may ride there
    confirmed_seq BIGINT        NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (stream_id, destination)
);
