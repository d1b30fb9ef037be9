-- How far a task's caption asset has got. Kaltura forbids listing caption assets, so the marker of an add whose
-- answer was lost is the only trace of it: saved before the call, cleared when the asset id is stored.
ALTER TABLE live_task ADD COLUMN asset_pending_add VARCHAR(128);
-- When setContent succeeded: the wait for the asset to be READY counts from here, across restarts.
ALTER TABLE live_task ADD COLUMN asset_content_set_at TIMESTAMP WITH TIME ZONE;
