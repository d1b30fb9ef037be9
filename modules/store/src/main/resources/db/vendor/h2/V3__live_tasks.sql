-- REACH Live tasks as livecap drives them: enough to resume every task where it was after a restart.
CREATE TABLE live_task (
    region             VARCHAR(64)  NOT NULL,
    task_id            BIGINT       NOT NULL,
    entry_id           VARCHAR(64)  NOT NULL,
    partner_id         BIGINT       NOT NULL,
    catalog_item_id    BIGINT       NOT NULL,
    scheduled_event_id BIGINT       NOT NULL,
    start_date         TIMESTAMP WITH TIME ZONE NOT NULL,
    end_date           TIMESTAMP WITH TIME ZONE NOT NULL,
    refund_window_s    BIGINT       NOT NULL,
    start_buffer_s     BIGINT       NOT NULL,
    end_buffer_s       BIGINT       NOT NULL,
    output_format      INT          NOT NULL,
    language           VARCHAR(64)  NOT NULL,
    dictionary         VARCHAR(8000),
    access_key         VARCHAR(4000),          -- a KS: never logged
    state              VARCHAR(16)  NOT NULL,
    refund_checked     BOOLEAN      DEFAULT FALSE NOT NULL,
    caption_asset_id   VARCHAR(64),
    accuracy           INT,
    error              VARCHAR(1000),
    alerts             VARCHAR(200) DEFAULT '' NOT NULL,
    updated_at         TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (region, task_id)
);

-- What happened to each task and why: transitions, checks, cancellations, alerts.
CREATE TABLE task_audit (
    id      BIGINT AUTO_INCREMENT PRIMARY KEY,
    region  VARCHAR(64) NOT NULL,
    task_id BIGINT      NOT NULL,
    at      TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    kind    VARCHAR(32) NOT NULL,
    detail  VARCHAR(2000) NOT NULL
);
CREATE INDEX task_audit_task ON task_audit (region, task_id);
