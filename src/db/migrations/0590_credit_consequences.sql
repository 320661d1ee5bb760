-- Credit with consequences, continued (issue 12): incidents, revocations, wider 双随机 pools, red-list ratio.

-- One act may leave several records (a broken commitment and the revocation it causes; one application's
-- overdue 容缺 materials). Records sharing an incident count once — at their most severe — in the grade and
-- in the listing rules (credit.rules.ts). NULL: the record is its own incident.
ALTER TABLE credit_record ADD COLUMN incident text;

-- 撤销 of an approval (行政许可法 第69条): who, why, on what legal basis, from which source (a 告知承诺
-- inspection, a 双随机 result, a department's own decision), and the certificate revoked with it.
CREATE TABLE task_revocation (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id       uuid NOT NULL REFERENCES item_task (id),
  round         integer NOT NULL,
  reason        text NOT NULL,
  legal_basis   text NOT NULL,
  source_type   text NOT NULL CHECK (source_type IN ('department', 'inspection', 'inspection_draw')),
  source_id     text,
  certificate_identifier text,
  revoked_by    uuid REFERENCES app_user (id),
  revoked_at    timestamptz NOT NULL,
  CONSTRAINT task_revocation_round_uq UNIQUE (task_id, round)
);

-- 双随机 pools: 告知承诺 approvals, projects under construction (施工许可 issued, not completed), and the
-- 施工图审查 exemptions of a 甲级 design commitment (issue 11).
ALTER TABLE inspection_draw DROP CONSTRAINT inspection_draw_pool_kind_check;
ALTER TABLE inspection_draw ADD CONSTRAINT inspection_draw_pool_kind_check
  CHECK (pool_kind IN ('commitment', 'construction', 'exemption'));

-- 守信激励: a red-listed subject is drawn less often than its grade alone would say.
INSERT INTO credit_measure (code, trigger, effect, value, basis, updated_at) VALUES
  ('ratio-red', 'red', 'inspection_ratio', 0.03, '守信联合激励合作备忘录：红名单主体双随机抽查比例3%（低于A级）', now())
ON CONFLICT (code) DO NOTHING;
