-- Stage applications and parallel approval (issue: 一窗受理, 并联审批, 告知承诺, 容缺, 模拟审批, 电子证照).

-- Per year and district serial for national project codes (年份-行政区划-行业-类型-流水号).
CREATE TABLE project_code_counter (
  year          integer NOT NULL,
  district_code char(6) NOT NULL,
  last_serial   integer NOT NULL,
  CONSTRAINT project_code_counter_pkey PRIMARY KEY (year, district_code)
);

CREATE TABLE project (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  code               text NOT NULL,
  name               text NOT NULL,
  enterprise_id      uuid NOT NULL REFERENCES enterprise (id),
  template_code      text NOT NULL,
  template_version   integer NOT NULL,
  district_code      char(6) NOT NULL,
  industry_code      char(2) NOT NULL,
  approval_type      char(2) NOT NULL,
  total_investment   numeric(14, 2) NOT NULL CHECK (total_investment >= 0),
  attributes         jsonb NOT NULL,
  site               geometry(MultiPolygon, 4490) NOT NULL,
  site_area_m2       double precision NOT NULL,
  planned_start      date NOT NULL,
  planned_completion date NOT NULL,
  preconditions      text[] NOT NULL DEFAULT '{}',
  created_by         uuid NOT NULL REFERENCES app_user (id),
  created_at         timestamptz NOT NULL,
  CONSTRAINT project_code_uq UNIQUE (code),
  CONSTRAINT project_planned_order CHECK (planned_start < planned_completion),
  CONSTRAINT project_template_fkey FOREIGN KEY (template_code, template_version) REFERENCES process_template_version (code, version)
);
CREATE INDEX project_enterprise_idx ON project (enterprise_id);
CREATE INDEX project_site_gist ON project USING gist (site);

-- Content-addressed uploads: the bytes live under DATA_DIR/files/<sha256>, this row is the metadata.
CREATE TABLE material_file (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  sha256        char(64) NOT NULL,
  size_bytes    bigint NOT NULL,
  media_type    text NOT NULL,
  original_name text NOT NULL,
  material_code text NOT NULL,
  enterprise_id uuid REFERENCES enterprise (id),
  uploaded_by   uuid NOT NULL REFERENCES app_user (id),
  uploaded_at   timestamptz NOT NULL
);
CREATE INDEX material_file_enterprise_idx ON material_file (enterprise_id, material_code);

-- The materials a project already has on file: never asked for twice (任务 58).
CREATE TABLE project_material (
  project_id    uuid NOT NULL REFERENCES project (id),
  material_code text NOT NULL,
  file_id       uuid NOT NULL REFERENCES material_file (id),
  submitted_at  timestamptz NOT NULL,
  CONSTRAINT project_material_pkey PRIMARY KEY (project_id, material_code)
);

CREATE TABLE stage_application (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id        uuid NOT NULL REFERENCES project (id),
  stage             smallint NOT NULL CHECK (stage BETWEEN 1 AND 5),
  status            text NOT NULL CHECK (status IN ('submitted', 'correction_requested', 'accepted', 'refused', 'completed')),
  form              jsonb NOT NULL,
  item_codes        text[] NOT NULL,
  commitments       text[] NOT NULL DEFAULT '{}',
  submitted_by      uuid NOT NULL REFERENCES app_user (id),
  on_behalf_of      uuid REFERENCES enterprise (id),
  idempotency_key   text,
  request_hash      text,
  submitted_at      timestamptz NOT NULL,
  accepted_at       timestamptz,
  accepted_on       date,
  accepted_by       uuid REFERENCES app_user (id),
  refused_reason    text,
  completed_at      timestamptz,
  expected_completion date,
  version           integer NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX stage_application_idempotency_uq ON stage_application (submitted_by, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX stage_application_project_idx ON stage_application (project_id, stage);
CREATE INDEX stage_application_status_idx ON stage_application (status);

CREATE TABLE application_material (
  application_id uuid NOT NULL REFERENCES stage_application (id),
  material_code  text NOT NULL,
  file_id        uuid NOT NULL REFERENCES material_file (id),
  CONSTRAINT application_material_pkey PRIMARY KEY (application_id, material_code)
);

-- 容缺: a secondary material accepted as missing against a promised date.
CREATE TABLE deficiency (
  application_id uuid NOT NULL REFERENCES stage_application (id),
  material_code  text NOT NULL,
  due_date       date NOT NULL,
  fulfilled_at   timestamptz,
  file_id        uuid REFERENCES material_file (id),
  CONSTRAINT deficiency_pkey PRIMARY KEY (application_id, material_code)
);

-- 补正: one complete list (一次性告知), at the window (application) or from a department (task).
CREATE TABLE correction_request (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id uuid NOT NULL REFERENCES stage_application (id),
  task_id        uuid,
  items          jsonb NOT NULL,
  requested_by   uuid NOT NULL REFERENCES app_user (id),
  requested_at   timestamptz NOT NULL,
  answered_at    timestamptz,
  answer         jsonb
);
CREATE INDEX correction_request_application_idx ON correction_request (application_id);

-- One item of one stage application in its department (事项办理实例).
CREATE TABLE item_task (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  application_id   uuid NOT NULL REFERENCES stage_application (id),
  project_id       uuid NOT NULL REFERENCES project (id),
  item_code        text NOT NULL,
  item_version     integer NOT NULL,
  department_code  text NOT NULL REFERENCES department (code),
  stage            smallint NOT NULL,
  status           text NOT NULL CHECK (status IN ('in_review', 'paused', 'approved', 'rejected', 'returned', 'revoked')),
  steps            text[] NOT NULL,
  current_step     text,
  promised_days    integer NOT NULL,
  started_on       date NOT NULL,
  deadline         date NOT NULL,
  via_commitment   boolean NOT NULL DEFAULT false,
  simulated        boolean NOT NULL DEFAULT false,
  simulated_until  text,
  milestone        boolean NOT NULL DEFAULT true,
  outcome          text,
  opinion          text,
  document         jsonb,
  decided_at       timestamptz,
  created_at       timestamptz NOT NULL,
  version          integer NOT NULL DEFAULT 1,
  CONSTRAINT item_task_steps_max_two CHECK (cardinality(steps) BETWEEN 1 AND 2)
);
CREATE INDEX item_task_inbox_idx ON item_task (department_code, current_step, deadline);
CREATE INDEX item_task_application_idx ON item_task (application_id);
CREATE INDEX item_task_project_idx ON item_task (project_id);

CREATE TABLE task_decision (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id     uuid NOT NULL REFERENCES item_task (id),
  step        text NOT NULL CHECK (step IN ('initial', 'final')),
  outcome     text NOT NULL CHECK (outcome IN ('approve', 'reject', 'return')),
  opinion     text NOT NULL,
  document    jsonb,
  decided_by  uuid NOT NULL REFERENCES app_user (id),
  decided_at  timestamptz NOT NULL,
  CONSTRAINT task_decision_step_uq UNIQUE (task_id, step)
);

-- Time the clock stops: 补正 and legally prescribed special procedures; expert/technical reviews count.
CREATE TABLE clock_pause (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id      uuid NOT NULL REFERENCES item_task (id),
  kind         text NOT NULL,
  pauses_clock boolean NOT NULL,
  reason       text NOT NULL,
  started_at   timestamptz NOT NULL,
  started_on   date NOT NULL,
  ended_at     timestamptz,
  ended_on     date,
  started_by   uuid REFERENCES app_user (id)
);
CREATE INDEX clock_pause_task_idx ON clock_pause (task_id);

-- 告知承诺: the signed text, kept and shown.
CREATE TABLE commitment (
  application_id uuid NOT NULL REFERENCES stage_application (id),
  item_code      text NOT NULL,
  text           text NOT NULL,
  signed_by      uuid NOT NULL REFERENCES app_user (id),
  signed_at      timestamptz NOT NULL,
  CONSTRAINT commitment_pkey PRIMARY KEY (application_id, item_code)
);

CREATE TABLE inspection (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id       uuid NOT NULL REFERENCES item_task (id),
  enterprise_id uuid NOT NULL REFERENCES enterprise (id),
  department_code text NOT NULL REFERENCES department (code),
  due_date      date NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'confirmed', 'revoked')),
  result        text,
  inspected_by  uuid REFERENCES app_user (id),
  inspected_at  timestamptz,
  created_at    timestamptz NOT NULL
);
CREATE INDEX inspection_department_idx ON inspection (department_code, status, due_date);

-- Credit records the later credit work builds on; black_list entries take away 告知承诺 and 容缺.
CREATE TABLE credit_record (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  enterprise_id  uuid NOT NULL REFERENCES enterprise (id),
  kind           text NOT NULL CHECK (kind IN ('commitment_broken', 'deficiency_overdue', 'black_list', 'red_list')),
  reason         text NOT NULL,
  source_type    text,
  source_id      text,
  created_at     timestamptz NOT NULL,
  expires_on     date
);
CREATE INDEX credit_record_enterprise_idx ON credit_record (enterprise_id, kind);

-- 电子证照: issued only through the system; verifiable by id, SM2-signed.
CREATE TABLE certificate (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  identifier    text NOT NULL,
  task_id       uuid NOT NULL REFERENCES item_task (id),
  project_id    uuid NOT NULL REFERENCES project (id),
  type          text NOT NULL,
  title         text NOT NULL,
  holder_name   text NOT NULL,
  holder_code   text NOT NULL,
  content       jsonb NOT NULL,
  issued_at     timestamptz NOT NULL,
  valid_until   date NOT NULL,
  signature     text NOT NULL,
  signer_key_id text NOT NULL,
  simulated     boolean NOT NULL DEFAULT false,
  revoked_at    timestamptz,
  revoked_reason text,
  CONSTRAINT certificate_identifier_uq UNIQUE (identifier),
  CONSTRAINT certificate_task_uq UNIQUE (task_id)
);
CREATE INDEX certificate_project_idx ON certificate (project_id);

-- Signing keys for certificates. The private key sits here only for the software signer; production
-- replaces it with a certified signature server behind the same interface.
CREATE TABLE signing_key (
  id          text PRIMARY KEY,
  algorithm   text NOT NULL CHECK (algorithm = 'SM2'),
  public_key  text NOT NULL,
  private_key text NOT NULL,
  active      boolean NOT NULL DEFAULT true,
  created_at  timestamptz NOT NULL
);
