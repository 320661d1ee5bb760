-- Issue 11: a 多评合一 whose covered task ends on its own (撤回, 终止, 不予许可). The task's part is void
-- (when and why, shown on the assessment), and an assessment closed that way keeps its reason.
ALTER TABLE merged_assessment_item
  ADD COLUMN ended_at timestamptz,
  ADD COLUMN ended_reason text;
ALTER TABLE merged_assessment
  ADD COLUMN closed_reason text;
