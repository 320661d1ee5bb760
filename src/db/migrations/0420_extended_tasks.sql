-- 延期 in supervision and statistics (issue 8): extended tasks are few; statistics count them live by
-- start date with this partial index instead of widening the rollup kept by triggers (0210).
CREATE INDEX item_task_extended_started_idx ON item_task (started_on) WHERE extended_days > 0;
