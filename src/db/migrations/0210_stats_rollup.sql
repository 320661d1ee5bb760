-- Statistics rollups (issue 4 item 10; reform plan task 40 统计分析): the overview and rankings read
-- counts per (start month × district × template × department × item × stage × outcome flags × working
-- days used) instead of scanning every item task. Kept current without lag by statement triggers on
-- task_clock (the cache every statistic is computed from), and backfilled here.
CREATE TABLE stats_task_month (
  month            date NOT NULL,
  district_code    char(6) NOT NULL,
  template_code    text NOT NULL,
  department_code  text NOT NULL,
  item_code        text NOT NULL,
  stage            smallint NOT NULL,
  finished         boolean NOT NULL,
  on_time          boolean NOT NULL,
  overdue          boolean NOT NULL,
  via_commitment   boolean NOT NULL,
  used_days        integer,
  n                bigint NOT NULL,
  CONSTRAINT stats_task_month_uq UNIQUE NULLS NOT DISTINCT (month, district_code, template_code, department_code,
    item_code, stage, finished, on_time, overdue, via_commitment, used_days)
);

-- Applications by start date of their clocked tasks (distinct application counts stay exact).
CREATE TABLE stats_application_day (
  application_id  uuid NOT NULL,
  started_on      date NOT NULL,
  district_code   char(6) NOT NULL,
  template_code   text NOT NULL,
  n               bigint NOT NULL,
  CONSTRAINT stats_application_day_pkey PRIMARY KEY (application_id, started_on)
);
CREATE INDEX stats_application_day_started_idx ON stats_application_day (started_on, application_id);

-- Signed rows of one statement's changes: +1 for new clock rows, -1 for old ones.
-- Returns the two upserts for a signed delta query (executed by the caller: transition tables are
-- visible only inside the trigger function itself).
CREATE FUNCTION stats_upserts(delta_sql text) RETURNS text[] LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RETURN ARRAY[format($f$
    WITH d AS (%s),
    x AS (
      SELECT date_trunc('month', t.started_on)::date AS month, p.district_code, p.template_code, t.department_code,
        t.item_code, t.stage, d.finished, (d.finished AND d.overdue_days = 0) AS on_time,
        (d.clock_state = 'overdue') AS overdue, t.via_commitment, d.used_days, sum(d.sign) AS n
      FROM d JOIN item_task t ON t.id = d.task_id JOIN project p ON p.id = t.project_id
      GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11
      HAVING sum(d.sign) <> 0
    )
    INSERT INTO stats_task_month AS r (month, district_code, template_code, department_code, item_code, stage,
      finished, on_time, overdue, via_commitment, used_days, n)
    SELECT * FROM x
    ON CONFLICT ON CONSTRAINT stats_task_month_uq DO UPDATE SET n = r.n + excluded.n$f$, delta_sql),
  format($f$
    WITH d AS (%s),
    x AS (
      SELECT t.application_id, t.started_on, p.district_code, p.template_code, sum(d.sign) AS n
      FROM d JOIN item_task t ON t.id = d.task_id JOIN project p ON p.id = t.project_id
      GROUP BY 1, 2, 3, 4
      HAVING sum(d.sign) <> 0
    )
    INSERT INTO stats_application_day AS r (application_id, started_on, district_code, template_code, n)
    SELECT * FROM x
    ON CONFLICT ON CONSTRAINT stats_application_day_pkey DO UPDATE SET n = r.n + excluded.n$f$, delta_sql)];
END
$$;

CREATE FUNCTION stats_task_clock_changed() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  cols text := 'task_id, finished, overdue_days, clock_state, used_days';
  delta text;
  q text;
BEGIN
  IF TG_OP = 'INSERT' THEN
    delta := format('SELECT %s, 1 AS sign FROM stats_new', cols);
  ELSIF TG_OP = 'DELETE' THEN
    delta := format('SELECT %s, -1 AS sign FROM stats_old', cols);
  ELSE
    delta := format('SELECT %s, 1 AS sign FROM stats_new UNION ALL SELECT %s, -1 FROM stats_old', cols, cols);
  END IF;
  FOREACH q IN ARRAY stats_upserts(delta) LOOP
    EXECUTE q;
  END LOOP;
  DELETE FROM stats_task_month WHERE n = 0;
  DELETE FROM stats_application_day WHERE n = 0;
  RETURN NULL;
END
$$;

CREATE TRIGGER stats_task_clock_insert AFTER INSERT ON task_clock
  REFERENCING NEW TABLE AS stats_new FOR EACH STATEMENT EXECUTE FUNCTION stats_task_clock_changed();
CREATE TRIGGER stats_task_clock_update AFTER UPDATE ON task_clock
  REFERENCING OLD TABLE AS stats_old NEW TABLE AS stats_new FOR EACH STATEMENT EXECUTE FUNCTION stats_task_clock_changed();
CREATE TRIGGER stats_task_clock_delete AFTER DELETE ON task_clock
  REFERENCING OLD TABLE AS stats_old FOR EACH STATEMENT EXECUTE FUNCTION stats_task_clock_changed();

-- Backfill from the clocks already cached.
DO $$
DECLARE
  q text;
BEGIN
  FOREACH q IN ARRAY stats_upserts('SELECT task_id, finished, overdue_days, clock_state, used_days, 1 AS sign FROM task_clock') LOOP
    EXECUTE q;
  END LOOP;
END
$$;

GRANT SELECT, INSERT, UPDATE, DELETE ON stats_task_month, stats_application_day TO zz_app;
