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
