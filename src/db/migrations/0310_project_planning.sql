-- 策划生成 (tasks 43, 51): a project created from a planned project keeps the departments' early
-- opinions and construction conditions (建设条件) it was generated with.
ALTER TABLE project
  ADD COLUMN planned_project_id uuid REFERENCES planned_project (id),
  ADD COLUMN construction_conditions jsonb NOT NULL DEFAULT '[]';
