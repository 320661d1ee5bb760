-- 纠错 of a mistaken 撤销 (issue 12): a supervisor-countersigned reopening of a revoked task reinstates the
-- approval. The revocation stays on record, marked corrected (when, why, by which reopening); the credit
-- record it wrote is withdrawn (kept, no longer counted, shown as withdrawn).

ALTER TABLE task_revocation ADD COLUMN corrected_at timestamptz;
ALTER TABLE task_revocation ADD COLUMN corrected_reason text;
ALTER TABLE task_revocation ADD COLUMN reopening_id uuid REFERENCES task_reopening (id);
-- One revocation in force per task and round: a corrected one no longer blocks a later revocation.
ALTER TABLE task_revocation DROP CONSTRAINT task_revocation_round_uq;
CREATE UNIQUE INDEX task_revocation_round_uq ON task_revocation (task_id, round) WHERE corrected_at IS NULL;

-- A record withdrawn because the act it records was corrected (e.g. the revocation was a mistake).
ALTER TABLE credit_record ADD COLUMN withdrawn_on date;
ALTER TABLE credit_record ADD COLUMN withdrawn_reason text;

-- 失信惩戒 for grade D as for the black list (task 62, issue 12 §4: "black-listed or grade D → … flagged at
-- the window"): the window and reviewers see D-grade enterprises under 重点关注. Data an administrator edits.
INSERT INTO credit_measure (code, trigger, effect, value, basis, updated_at) VALUES
  ('d-flag', 'grade_D', 'flag_window', NULL, '分级分类监管：D级主体窗口重点关注', now())
ON CONFLICT (code) DO NOTHING;
