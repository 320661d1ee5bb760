-- Joint procedures (issue 11; plan tasks 17, 22, 28–31, 36, 50, 57): 联合审图 with sections, design firms
-- and the 甲级 commitment exemption, 联合验收 with six sign-offs, the utilities in the flow, and the
-- suspension of certificates resting on a revoked conclusion.

-- 图审机构 (task 31: a registered organisation, or a service the government buys) and 测绘机构 (task 36).
CREATE TABLE joint_organisation (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  kind               text NOT NULL CHECK (kind IN ('drawing_review', 'survey')),
  name               text NOT NULL CHECK (btrim(name) <> ''),
  credit_code        char(18) NOT NULL,
  purchased_service  boolean NOT NULL DEFAULT false,
  created_at         timestamptz NOT NULL,
  UNIQUE (kind, credit_code)
);

-- A reviewer of a drawing-review organisation and the sections (专业) they are qualified for.
CREATE TABLE joint_reviewer (
  organisation_id  uuid NOT NULL REFERENCES joint_organisation (id),
  user_id          uuid NOT NULL REFERENCES app_user (id),
  sections         text[] NOT NULL CHECK (cardinality(sections) > 0),
  qualification    text NOT NULL CHECK (btrim(qualification) <> ''),
  created_at       timestamptz NOT NULL,
  PRIMARY KEY (organisation_id, user_id)
);

-- Design firms and their qualification (task 30: only 甲级 with a valid qualification may be exempted).
CREATE TABLE design_firm (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name                  text NOT NULL CHECK (btrim(name) <> ''),
  credit_code           char(18) NOT NULL UNIQUE,
  grade                 text NOT NULL CHECK (grade IN ('grade_a', 'grade_b', 'grade_c')),
  qualification_number  text NOT NULL CHECK (btrim(qualification_number) <> ''),
  qualification_expires date NOT NULL,
  created_at            timestamptz NOT NULL
);

-- 终身负责承诺 signed by the firm and the chief designer; one in force per project.
CREATE TABLE design_commitment (
  id                    uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id            uuid NOT NULL REFERENCES project (id),
  design_firm_id        uuid NOT NULL REFERENCES design_firm (id),
  firm_grade            text NOT NULL,
  qualification_number  text NOT NULL,
  chief_designer        text NOT NULL CHECK (btrim(chief_designer) <> ''),
  chief_designer_reg    text NOT NULL CHECK (btrim(chief_designer_reg) <> ''),
  text                  text NOT NULL,
  signed_by             uuid NOT NULL REFERENCES app_user (id),
  signed_at             timestamptz NOT NULL,
  revoked_at            timestamptz,
  revoked_reason        text
);
CREATE UNIQUE INDEX design_commitment_in_force_uq ON design_commitment (project_id) WHERE revoked_at IS NULL;

-- 联合审图: one review per 施工图审查 task; sections decided per round.
CREATE TABLE drawing_review (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id                 uuid NOT NULL REFERENCES item_task (id),
  project_id              uuid NOT NULL REFERENCES project (id),
  organisation_id         uuid NOT NULL REFERENCES joint_organisation (id),
  status                  text NOT NULL CHECK (status IN ('in_review', 'failed', 'passed', 'revoked')),
  round                   integer NOT NULL DEFAULT 1,
  fire_joint              boolean NOT NULL,
  civil_air_defence_joint boolean NOT NULL,
  sections                text[] NOT NULL,
  violation_total         integer NOT NULL DEFAULT 0,
  certificate_id          uuid REFERENCES certificate (id),
  opened_by               uuid NOT NULL REFERENCES app_user (id),
  opened_at               timestamptz NOT NULL,
  concluded_at            timestamptz,
  revoked_at              timestamptz,
  revoked_reason          text,
  version                 integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX drawing_review_task_uq ON drawing_review (task_id) WHERE status <> 'revoked';

CREATE TABLE drawing_review_section (
  review_id   uuid NOT NULL REFERENCES drawing_review (id),
  round       integer NOT NULL,
  section     text NOT NULL,
  outcome     text NOT NULL CHECK (outcome IN ('pass', 'fail')),
  violations  integer NOT NULL CHECK (violations >= 0),
  opinion     text NOT NULL,
  reviewer_id uuid NOT NULL REFERENCES app_user (id),
  decided_at  timestamptz NOT NULL,
  PRIMARY KEY (review_id, round, section),
  CHECK (outcome = 'fail' OR violations = 0)
);

-- 联合验收: one per stage-4 application; six sign-offs from the shared reports.
CREATE TABLE joint_acceptance (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id         uuid NOT NULL REFERENCES stage_application (id),
  project_id             uuid NOT NULL REFERENCES project (id),
  survey_organisation_id uuid NOT NULL REFERENCES joint_organisation (id),
  survey_report_number   text NOT NULL CHECK (btrim(survey_report_number) <> ''),
  test_reports           text[] NOT NULL,
  status                 text NOT NULL CHECK (status IN ('in_review', 'passed', 'failed')),
  opinion_number         text,
  opened_by              uuid NOT NULL REFERENCES app_user (id),
  opened_at              timestamptz NOT NULL,
  concluded_at           timestamptz
);
CREATE UNIQUE INDEX joint_acceptance_application_uq ON joint_acceptance (application_id) WHERE status <> 'failed';

CREATE TABLE joint_acceptance_signoff (
  acceptance_id   uuid NOT NULL REFERENCES joint_acceptance (id),
  area            text NOT NULL,
  department_code text NOT NULL,
  outcome         text NOT NULL CHECK (outcome IN ('pass', 'fail')),
  opinion         text NOT NULL,
  signed_by       uuid NOT NULL REFERENCES app_user (id),
  signed_at       timestamptz NOT NULL,
  PRIMARY KEY (acceptance_id, area)
);

-- 市政公用 (tasks 22, 57): told at 工程建设许可, 报装 before 施工许可, works, 接入 after 竣工验收.
CREATE TABLE utility_case (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id      uuid NOT NULL REFERENCES project (id),
  utility         text NOT NULL,
  status          text NOT NULL CHECK (status IN ('pending', 'notified', 'applied', 'works', 'connected', 'not_needed')),
  facts           jsonb,
  notified_at     timestamptz,
  applied_at      timestamptz,
  application_id  uuid REFERENCES stage_application (id),
  accepted_on     date,
  connected_at    timestamptz,
  connected_by    uuid REFERENCES app_user (id),
  note            text,
  UNIQUE (project_id, utility)
);

CREATE TABLE utility_work (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  case_id      uuid NOT NULL REFERENCES utility_case (id),
  note         text NOT NULL CHECK (btrim(note) <> ''),
  recorded_by  uuid NOT NULL REFERENCES app_user (id),
  recorded_at  timestamptz NOT NULL
);

-- A certificate resting on a revoked conclusion is suspended (中止), not revoked: it may be restored.
ALTER TABLE certificate ADD COLUMN suspended_at timestamptz, ADD COLUMN suspended_reason text;
