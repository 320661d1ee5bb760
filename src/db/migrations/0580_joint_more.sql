-- Joint procedures, the rest of issue 11 (plan tasks 17, 30, 50): 方案联审 with its 征求意见 records,
-- 多评合一 (one commissioned assessment for several assessment items, one report, one review meeting),
-- the signed lifelong-responsibility commitment (printable), and restoring a suspended certificate.

-- 评估机构 (task 50: the intermediary commissioned for a 多评合一) joins the registers.
ALTER TABLE joint_organisation DROP CONSTRAINT joint_organisation_kind_check;
ALTER TABLE joint_organisation ADD CONSTRAINT joint_organisation_kind_check
  CHECK (kind IN ('drawing_review', 'survey', 'assessment'));

-- The commitment as signed: the system's SM2 signature over what is printed (null for commitments signed
-- before this migration; they print without one).
ALTER TABLE design_commitment ADD COLUMN signature text, ADD COLUMN signer_key_id text;

-- 方案联审 (task 17): the planning department reviews the design scheme once and asks the departments
-- concerned inside the system; one conclusion per review. A returned scheme is asked about again (round).
CREATE TABLE scheme_review (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id       uuid NOT NULL REFERENCES item_task (id),
  project_id    uuid NOT NULL REFERENCES project (id),
  status        text NOT NULL CHECK (status IN ('consulting', 'returned', 'passed', 'withdrawn')),
  round         integer NOT NULL DEFAULT 1 CHECK (round >= 1),
  conclusion    text,
  concluded_by  uuid REFERENCES app_user (id),
  concluded_at  timestamptz,
  opened_by     uuid NOT NULL REFERENCES app_user (id),
  opened_at     timestamptz NOT NULL,
  version       integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX scheme_review_task_uq ON scheme_review (task_id) WHERE status <> 'withdrawn';

-- 征求意见: one record per department and round, with its due date in working days and its answer.
CREATE TABLE scheme_review_opinion (
  review_id        uuid NOT NULL REFERENCES scheme_review (id),
  round            integer NOT NULL,
  department_code  text NOT NULL REFERENCES department (code),
  limit_days       integer NOT NULL CHECK (limit_days BETWEEN 1 AND 30),
  requested_at     timestamptz NOT NULL,
  due_date         date NOT NULL,
  answer           text CHECK (answer IN ('agree', 'agree_with_conditions', 'disagree')),
  opinion          text,
  answered_by      uuid REFERENCES app_user (id),
  answered_at      timestamptz,
  PRIMARY KEY (review_id, round, department_code),
  CHECK ((answer IS NULL) = (answered_at IS NULL)),
  CHECK (answer IS NULL OR answer = 'agree' OR btrim(coalesce(opinion, '')) <> '')
);

-- 多评合一 (task 50): one commissioned assessment covering several assessment tasks of a project.
CREATE TABLE merged_assessment (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id       uuid NOT NULL REFERENCES project (id),
  organisation_id  uuid NOT NULL REFERENCES joint_organisation (id),
  status           text NOT NULL CHECK (status IN ('preparing', 'in_review', 'failed', 'passed', 'withdrawn')),
  round            integer NOT NULL DEFAULT 1 CHECK (round >= 1),
  notice           jsonb NOT NULL,
  report_number    text,
  report_summary   text,
  report_at        timestamptz,
  opinion_number   text,
  opened_by        uuid NOT NULL REFERENCES app_user (id),
  opened_at        timestamptz NOT NULL,
  concluded_at     timestamptz,
  version          integer NOT NULL DEFAULT 1
);

-- The tasks one assessment covers; a task is covered by one live assessment at a time.
CREATE TABLE merged_assessment_item (
  assessment_id    uuid NOT NULL REFERENCES merged_assessment (id),
  task_id          uuid NOT NULL REFERENCES item_task (id),
  item_code        text NOT NULL,
  department_code  text NOT NULL,
  live             boolean NOT NULL DEFAULT true,
  PRIMARY KEY (assessment_id, task_id)
);
CREATE UNIQUE INDEX merged_assessment_item_live_uq ON merged_assessment_item (task_id) WHERE live;

-- The concentrated review meeting (集中评审) of a round, with its experts.
CREATE TABLE merged_assessment_meeting (
  assessment_id  uuid NOT NULL REFERENCES merged_assessment (id),
  round          integer NOT NULL,
  held_on        date NOT NULL,
  place          text NOT NULL CHECK (btrim(place) <> ''),
  experts        jsonb NOT NULL,
  recorded_by    uuid NOT NULL REFERENCES app_user (id),
  recorded_at    timestamptz NOT NULL,
  PRIMARY KEY (assessment_id, round)
);

-- The meeting's conclusion per assessment item, signed by the item's department.
CREATE TABLE merged_assessment_conclusion (
  assessment_id    uuid NOT NULL REFERENCES merged_assessment (id),
  round            integer NOT NULL,
  item_code        text NOT NULL,
  department_code  text NOT NULL,
  outcome          text NOT NULL CHECK (outcome IN ('pass', 'fail')),
  opinion          text NOT NULL CHECK (btrim(opinion) <> ''),
  decided_by       uuid NOT NULL REFERENCES app_user (id),
  decided_at       timestamptz NOT NULL,
  PRIMARY KEY (assessment_id, round, item_code)
);
