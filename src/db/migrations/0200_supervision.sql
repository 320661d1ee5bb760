-- Electronic supervision (电子监察) and statistics: task clocks, notifications, 督办 orders, anomaly
-- rules, reports (reform plan tasks 39–41: 全过程跟踪督办, 审批节点控制, 定期通报; 组织保障 三、五).

-- Per-item warning threshold: warning when fewer than this many working days remain (NULL = 20% rule).
CREATE TABLE item_clock_setting (
  item_code     text PRIMARY KEY,
  warning_days  integer NOT NULL CHECK (warning_days >= 1),
  updated_at    timestamptz NOT NULL DEFAULT now()
);

-- A cache of each task's clock for fast filters and statistics; recomputed from item_task + clock_pause
-- on every read path that matters, at start-up, by the daily job and after a calendar change.
CREATE TABLE task_clock (
  task_id             uuid PRIMARY KEY REFERENCES item_task (id),
  deadline            date NOT NULL,
  remaining_days      integer NOT NULL,
  overdue_days        integer NOT NULL,
  clock_state         text NOT NULL CHECK (clock_state IN ('normal', 'warning', 'overdue')),
  paused              boolean NOT NULL,
  paused_days         integer NOT NULL,
  finished            boolean NOT NULL,
  finished_on         date,
  used_days           integer,
  refreshed_at        timestamptz NOT NULL
);
CREATE INDEX task_clock_state_idx ON task_clock (clock_state) WHERE NOT finished;

-- Each warning/overdue transition of a task is notified once (unique task + state).
CREATE TABLE clock_transition (
  task_id     uuid NOT NULL REFERENCES item_task (id),
  clock_state text NOT NULL,
  at          timestamptz NOT NULL,
  CONSTRAINT clock_transition_pkey PRIMARY KEY (task_id, clock_state)
);

CREATE TABLE notification (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id     uuid NOT NULL REFERENCES app_user (id),
  kind        text NOT NULL,
  title       text NOT NULL,
  body        text NOT NULL,
  object_type text NOT NULL,
  object_id   text NOT NULL,
  created_at  timestamptz NOT NULL,
  read_at     timestamptz
);
CREATE INDEX notification_user_idx ON notification (user_id, created_at DESC);

-- 督办 orders (task 40: 跟踪督办).
CREATE TABLE supervision_order (
  id                      uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id                 uuid NOT NULL REFERENCES item_task (id),
  department_code         text NOT NULL REFERENCES department (code),
  stage                   smallint NOT NULL,
  message                 text NOT NULL,
  response_working_days   integer NOT NULL CHECK (response_working_days BETWEEN 1 AND 60),
  due_date                date NOT NULL,
  status                  text NOT NULL CHECK (status IN ('open', 'answered', 'escalated')),
  issued_by               uuid NOT NULL REFERENCES app_user (id),
  issued_at               timestamptz NOT NULL,
  response                text,
  responded_by            uuid REFERENCES app_user (id),
  responded_at            timestamptz,
  escalated_at            timestamptz
);
CREATE INDEX supervision_order_department_idx ON supervision_order (department_code, status);
CREATE INDEX supervision_order_due_idx ON supervision_order (due_date) WHERE status = 'open';

-- 电子监察规则 hits; one per rule and object.
CREATE TABLE anomaly (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  rule         text NOT NULL,
  object_type  text NOT NULL,
  object_id    text NOT NULL,
  detail       jsonb NOT NULL,
  detected_at  timestamptz NOT NULL,
  status       text NOT NULL CHECK (status IN ('open', 'closed')),
  closed_by    uuid REFERENCES app_user (id),
  closed_at    timestamptz,
  note         text,
  CONSTRAINT anomaly_rule_object_uq UNIQUE (rule, object_type, object_id)
);

CREATE TABLE supervision_setting (
  key    text PRIMARY KEY,
  value  integer NOT NULL
);
INSERT INTO supervision_setting (key, value) VALUES ('special_pause_max_days', 30);

-- Public certificate verifications (no 体外循环: a verification of an unknown id is a lead).
CREATE TABLE certificate_verification_log (
  id              bigserial PRIMARY KEY,
  certificate_id  text NOT NULL,
  found           boolean NOT NULL,
  verified_at     timestamptz NOT NULL
);
CREATE INDEX certificate_verification_unknown_idx ON certificate_verification_log (certificate_id) WHERE NOT found;

-- 定期通报 (task 41): one generated report per month.
CREATE TABLE stats_report (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  month         char(7) NOT NULL UNIQUE,
  data          jsonb NOT NULL,
  generated_at  timestamptz NOT NULL,
  generated_by  uuid REFERENCES app_user (id)
);

CREATE INDEX item_task_started_idx ON item_task (started_on);
CREATE INDEX task_decision_task_idx ON task_decision (task_id);

-- Tamper-evident audit (M-11, F-15): the application's role may read and append audit events, never
-- change or delete them; migrations and forensic tools run as the owner.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'zz_app') THEN
    CREATE ROLE zz_app NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- another database on the same server created it meanwhile
END
$$;
DO $$
BEGIN
  EXECUTE format('GRANT CONNECT, TEMPORARY ON DATABASE %I TO zz_app', current_database());
  EXECUTE format('GRANT zz_app TO %I', current_user);
EXCEPTION WHEN OTHERS THEN
  NULL; -- already a member (or the owner is a superuser): SET ROLE works either way
END
$$;
GRANT USAGE ON SCHEMA public TO zz_app;
GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES ON ALL TABLES IN SCHEMA public TO zz_app;
GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA public TO zz_app;
REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM zz_app;
-- Tables of later migrations (and pg-boss's own) get the same rights automatically.
ALTER DEFAULT PRIVILEGES GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE, REFERENCES ON TABLES TO zz_app;
ALTER DEFAULT PRIVILEGES GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO zz_app;
ALTER DEFAULT PRIVILEGES GRANT USAGE ON SCHEMAS TO zz_app;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = 'pgboss') THEN
    GRANT USAGE ON SCHEMA pgboss TO zz_app;
    GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON ALL TABLES IN SCHEMA pgboss TO zz_app;
    GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA pgboss TO zz_app;
  END IF;
END
$$;
