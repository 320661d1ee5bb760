-- Credit (信用) and 事中事后监管 (tasks 59–62): subjects, records with consequences, listing rules as data,
-- the listing procedure (notice → objection window → listing), objections and repair, grades, joint
-- measures (合作备忘录) and 双随机一公开 draws. credit_record (0100) is extended, not replaced.

-- Credit subjects: enterprises (by enterprise row and 统一社会信用代码), practitioners (certificate numbers;
-- the personal id is stored for matching and masked in every output), intermediaries, design and
-- drawing-review organisations.
CREATE TABLE credit_subject (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind            text NOT NULL CHECK (kind IN ('enterprise', 'practitioner', 'intermediary', 'design_org', 'review_org')),
  name            text NOT NULL,
  credit_code     char(18),
  enterprise_id   uuid REFERENCES enterprise (id),
  certificate_no  text,
  personal_id     text,
  profession      text,
  employer_subject_id uuid REFERENCES credit_subject (id),
  created_at      timestamptz NOT NULL,
  CONSTRAINT credit_subject_enterprise_uq UNIQUE (enterprise_id),
  CONSTRAINT credit_subject_practitioner_ck CHECK (kind <> 'practitioner' OR certificate_no IS NOT NULL),
  CONSTRAINT credit_subject_org_ck CHECK (kind = 'practitioner' OR credit_code IS NOT NULL)
);
CREATE UNIQUE INDEX credit_subject_code_uq ON credit_subject (kind, credit_code) WHERE credit_code IS NOT NULL;
CREATE UNIQUE INDEX credit_subject_certificate_uq ON credit_subject (certificate_no) WHERE certificate_no IS NOT NULL;

-- Every enterprise that already has a credit record becomes a subject.
INSERT INTO credit_subject (kind, name, credit_code, enterprise_id, created_at)
SELECT 'enterprise', e.name, e.credit_code, e.id, now()
FROM enterprise e WHERE e.id IN (SELECT enterprise_id FROM credit_record);

-- Listing rules (task 60) and listings. Legacy black_list / red_list rows of credit_record move here below.
CREATE TABLE credit_listing_rule (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code             text NOT NULL,
  version          integer NOT NULL,
  list             text NOT NULL CHECK (list IN ('black', 'red')),
  name             text NOT NULL,
  condition        jsonb NOT NULL,
  objection_working_days integer NOT NULL CHECK (objection_working_days BETWEEN 0 AND 60),
  listing_months   integer NOT NULL CHECK (listing_months BETWEEN 1 AND 120),
  basis            text NOT NULL,
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL,
  CONSTRAINT credit_listing_rule_uq UNIQUE (code, version)
);

INSERT INTO credit_listing_rule (code, version, list, name, condition, objection_working_days, listing_months, basis, created_at) VALUES
  ('black-serious', 1, 'black', '12个月内2条及以上严重失信记录',
   '{"type":"bad_records","severities":["serious"],"minCount":2,"months":12}', 5, 36,
   '《郑州市工程建设项目审批制度改革实施方案》任务60；《关于加快推进社会信用体系建设构建以信用为基础的新型监管机制的指导意见》（国办发〔2019〕35号）', now()),
  ('red-clean-a', 1, 'red', '信用等级A且24个月内无不良记录',
   '{"type":"clean_grade","grade":"A","months":24}', 5, 24,
   '《郑州市工程建设项目审批制度改革实施方案》任务60、62', now());

CREATE TABLE credit_listing (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  subject_id         uuid NOT NULL REFERENCES credit_subject (id),
  list               text NOT NULL CHECK (list IN ('black', 'red')),
  rule_id            uuid REFERENCES credit_listing_rule (id),
  status             text NOT NULL CHECK (status IN ('noticed', 'listed', 'cancelled', 'removed', 'expired')),
  reason             text NOT NULL,
  basis              text NOT NULL,
  record_ids         uuid[] NOT NULL DEFAULT '{}',
  noticed_on         date NOT NULL,
  objection_until    date NOT NULL,
  listed_on          date,
  expires_on         date,
  ended_on           date,
  end_reason         text,
  version            integer NOT NULL DEFAULT 1,
  created_at         timestamptz NOT NULL
);
-- One open procedure or listing per subject and list.
CREATE UNIQUE INDEX credit_listing_open_uq ON credit_listing (subject_id, list) WHERE status IN ('noticed', 'listed');

INSERT INTO credit_subject (kind, name, credit_code, enterprise_id, created_at)
SELECT 'enterprise', e.name, e.credit_code, e.id, now() FROM enterprise e
WHERE e.id IN (SELECT enterprise_id FROM credit_record) AND NOT EXISTS (SELECT 1 FROM credit_subject s WHERE s.enterprise_id = e.id);

INSERT INTO credit_listing (subject_id, list, status, reason, basis, noticed_on, objection_until, listed_on, expires_on, created_at)
SELECT DISTINCT ON (s.id, r.kind) s.id, CASE r.kind WHEN 'black_list' THEN 'black' ELSE 'red' END, 'listed', r.reason,
       '迁移自原信用记录 (migrated)', (r.created_at AT TIME ZONE 'Asia/Shanghai')::date,
       (r.created_at AT TIME ZONE 'Asia/Shanghai')::date, (r.created_at AT TIME ZONE 'Asia/Shanghai')::date, r.expires_on, r.created_at
FROM credit_record r JOIN credit_subject s ON s.enterprise_id = r.enterprise_id
WHERE r.kind IN ('black_list', 'red_list') AND (r.expires_on IS NULL OR r.expires_on >= (now() AT TIME ZONE 'Asia/Shanghai')::date)
ORDER BY s.id, r.kind, r.created_at DESC;
DELETE FROM credit_record WHERE kind IN ('black_list', 'red_list');

-- Records: kind, severity, basis, source event, validity period, publication flag.
ALTER TABLE credit_record ADD COLUMN subject_id uuid REFERENCES credit_subject (id);
UPDATE credit_record r SET subject_id = s.id FROM credit_subject s WHERE s.enterprise_id = r.enterprise_id;
ALTER TABLE credit_record ALTER COLUMN subject_id SET NOT NULL;
ALTER TABLE credit_record ALTER COLUMN enterprise_id DROP NOT NULL;
ALTER TABLE credit_record DROP CONSTRAINT credit_record_kind_check;
ALTER TABLE credit_record ADD CONSTRAINT credit_record_kind_check CHECK (kind IN (
  'commitment_broken', 'deficiency_overdue', 'approval_revoked', 'false_materials', 'inspection_failed',
  'department_entry', 'on_time_completion', 'award'));
ALTER TABLE credit_record ADD COLUMN severity text NOT NULL DEFAULT 'serious' CHECK (severity IN ('serious', 'general', 'good'));
ALTER TABLE credit_record ALTER COLUMN severity DROP DEFAULT;
ALTER TABLE credit_record ADD COLUMN basis text NOT NULL DEFAULT '';
ALTER TABLE credit_record ADD COLUMN department_code text REFERENCES department (code);
ALTER TABLE credit_record ADD COLUMN evidence_file_id uuid;
ALTER TABLE credit_record ADD COLUMN entered_by uuid REFERENCES app_user (id);
ALTER TABLE credit_record ADD COLUMN valid_from date;
UPDATE credit_record SET valid_from = (created_at AT TIME ZONE 'Asia/Shanghai')::date;
ALTER TABLE credit_record ALTER COLUMN valid_from SET NOT NULL;
ALTER TABLE credit_record ADD COLUMN published boolean NOT NULL DEFAULT false;
ALTER TABLE credit_record ADD COLUMN repaired_on date;
CREATE INDEX credit_record_subject_idx ON credit_record (subject_id, valid_from);
-- A record from the flow is written once per source event.
CREATE UNIQUE INDEX credit_record_source_uq ON credit_record (kind, source_type, source_id) WHERE source_id IS NOT NULL;

-- 异议 (objection to a listing notice or a record) and 信用修复 (repair of a listing), each decided.
CREATE TABLE credit_objection (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id    uuid NOT NULL REFERENCES credit_listing (id),
  submitted_by  uuid NOT NULL REFERENCES app_user (id),
  reason        text NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'upheld', 'rejected')),
  decided_by    uuid REFERENCES app_user (id),
  decision      text,
  submitted_at  timestamptz NOT NULL,
  decided_at    timestamptz
);
CREATE UNIQUE INDEX credit_objection_pending_uq ON credit_objection (listing_id) WHERE status = 'pending';

CREATE TABLE credit_repair (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  listing_id    uuid NOT NULL REFERENCES credit_listing (id),
  submitted_by  uuid NOT NULL REFERENCES app_user (id),
  measures      text NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'approved', 'rejected')),
  decided_by    uuid REFERENCES app_user (id),
  decision      text,
  submitted_at  timestamptz NOT NULL,
  decided_at    timestamptz
);
CREATE UNIQUE INDEX credit_repair_pending_uq ON credit_repair (listing_id) WHERE status = 'pending';

-- Grades (task 62 分级分类): a versioned rule; the newest active version is in force.
CREATE TABLE credit_grade_rule (
  version     integer PRIMARY KEY,
  params      jsonb NOT NULL,
  description text NOT NULL,
  created_at  timestamptz NOT NULL
);
INSERT INTO credit_grade_rule (version, params, description, created_at) VALUES (1,
  '{"base":90,"deduct":{"serious":15,"general":5},"bonus":{"good":5},"maxBonus":10,"months":24,"thresholds":{"A":95,"B":80,"C":60},"blackListedGrade":"D"}',
  '基础分90；24个月内有效且未修复的记录：严重失信扣15、一般失信扣5、良好记录加5（最多加10）；≥95为A，≥80为B，≥60为C，其余为D；列入黑名单的为D',
  now());

-- Joint incentives and punishments (合作备忘录): which listing or grade triggers which effect. Data.
CREATE TABLE credit_measure (
  code        text PRIMARY KEY,
  trigger     text NOT NULL CHECK (trigger IN ('black', 'red', 'grade_A', 'grade_B', 'grade_C', 'grade_D')),
  effect      text NOT NULL CHECK (effect IN ('deny_commitment', 'deny_deficiency', 'flag_window', 'priority', 'inspection_ratio')),
  value       numeric,
  basis       text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  updated_at  timestamptz NOT NULL
);
INSERT INTO credit_measure (code, trigger, effect, value, basis, updated_at) VALUES
  ('black-no-commitment', 'black', 'deny_commitment', NULL, '失信联合惩戒合作备忘录：失信主体不适用告知承诺制', now()),
  ('black-no-deficiency', 'black', 'deny_deficiency', NULL, '失信联合惩戒合作备忘录：失信主体不适用容缺受理', now()),
  ('black-flag', 'black', 'flag_window', NULL, '失信联合惩戒合作备忘录：窗口重点关注', now()),
  ('d-no-commitment', 'grade_D', 'deny_commitment', NULL, '分级分类监管：D级主体不适用告知承诺制', now()),
  ('d-no-deficiency', 'grade_D', 'deny_deficiency', NULL, '分级分类监管：D级主体不适用容缺受理', now()),
  ('red-priority', 'red', 'priority', NULL, '守信联合激励合作备忘录：绿色通道', now()),
  ('a-priority', 'grade_A', 'priority', NULL, '分级分类监管：A级主体优先办理', now()),
  ('ratio-A', 'grade_A', 'inspection_ratio', 0.05, '双随机抽查比例：A级5%', now()),
  ('ratio-B', 'grade_B', 'inspection_ratio', 0.10, '双随机抽查比例：B级10%', now()),
  ('ratio-C', 'grade_C', 'inspection_ratio', 0.30, '双随机抽查比例：C级30%', now()),
  ('ratio-D', 'grade_D', 'inspection_ratio', 1.00, '双随机抽查比例：D级100%', now());

-- 双随机一公开 (task 59): inspector rosters per department, ties that exclude an inspector, draws.
CREATE TABLE inspection_inspector (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  department_code  text NOT NULL REFERENCES department (code),
  name             text NOT NULL,
  badge_no         text NOT NULL,
  user_id          uuid REFERENCES app_user (id),
  active           boolean NOT NULL DEFAULT true,
  created_at       timestamptz NOT NULL,
  CONSTRAINT inspection_inspector_badge_uq UNIQUE (department_code, badge_no)
);
CREATE TABLE inspection_inspector_tie (
  inspector_id  uuid NOT NULL REFERENCES inspection_inspector (id),
  subject_id    uuid NOT NULL REFERENCES credit_subject (id),
  reason        text NOT NULL,
  PRIMARY KEY (inspector_id, subject_id)
);

CREATE TABLE inspection_draw (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  department_code   text NOT NULL REFERENCES department (code),
  pool_kind         text NOT NULL CHECK (pool_kind IN ('commitment')),
  seed              text NOT NULL,
  algorithm         text NOT NULL,
  pool_snapshot     jsonb NOT NULL,
  pool_hash         text NOT NULL,
  inspector_snapshot jsonb NOT NULL,
  ratios            jsonb NOT NULL,
  inspectors_per_object integer NOT NULL,
  result            jsonb NOT NULL,
  drawn_by          uuid NOT NULL REFERENCES app_user (id),
  drawn_at          timestamptz NOT NULL,
  drawn_on          date NOT NULL,
  publish_by        date NOT NULL
);

CREATE TABLE inspection_draw_result (
  draw_id       uuid NOT NULL REFERENCES inspection_draw (id),
  object_id     text NOT NULL,
  subject_id    uuid NOT NULL REFERENCES credit_subject (id),
  outcome       text NOT NULL CHECK (outcome IN ('passed', 'correction', 'revoked')),
  findings      text NOT NULL,
  recorded_by   uuid NOT NULL REFERENCES app_user (id),
  recorded_at   timestamptz NOT NULL,
  published_on  date NOT NULL,
  PRIMARY KEY (draw_id, object_id)
);

-- Exports for the provincial credit platform (河南省信用信息共享平台), produced by a job.
CREATE TABLE credit_export (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  status        text NOT NULL CHECK (status IN ('queued', 'done', 'failed')),
  format        text NOT NULL,
  row_count     integer,
  content       text,
  requested_by  uuid REFERENCES app_user (id),
  requested_at  timestamptz NOT NULL,
  finished_at   timestamptz
);
