-- 策划生成 (issue 18): a planned project is generated for one enterprise and one site, in a year's
-- 年度实施计划 (task 53), and is used by exactly one registered project.
ALTER TABLE planned_project
  ADD COLUMN enterprise_id      uuid REFERENCES enterprise (id),
  ADD COLUMN plan_year          integer CHECK (plan_year BETWEEN 2000 AND 2100),
  ADD COLUMN used_by_project_id uuid REFERENCES project (id),
  ADD COLUMN used_at            timestamptz,
  ADD CONSTRAINT planned_project_used_ck CHECK ((used_by_project_id IS NULL) = (used_at IS NULL));
-- Rows from before: their year is the year they were generated (Beijing time).
UPDATE planned_project SET plan_year = extract(year FROM created_at AT TIME ZONE 'Asia/Shanghai')::integer;
ALTER TABLE planned_project ALTER COLUMN plan_year SET NOT NULL;
-- One project per planned project, and one planned project per project.
CREATE UNIQUE INDEX planned_project_used_uq ON planned_project (used_by_project_id)
  WHERE used_by_project_id IS NOT NULL;
CREATE INDEX planned_project_year_idx ON planned_project (plan_year);
