-- The approval lifecycle made whole (issue 8): every state has an exit a real office uses.

-- 负责人: the department's head approves extensions and asks for supervised corrections.
ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check
  CHECK (role IN ('applicant', 'window', 'reviewer', 'senior', 'head', 'coordinator', 'supervisor', 'agent', 'admin'));
ALTER TABLE app_user DROP CONSTRAINT app_user_staff_has_department;
ALTER TABLE app_user ADD CONSTRAINT app_user_staff_has_department
  CHECK (role NOT IN ('reviewer', 'senior', 'head', 'coordinator') OR department_code IS NOT NULL);

-- Stage applications: 不予许可 (rejected: the stage can no longer be completed), 撤回 (withdrawn by the
-- applicant), 终止 (terminated by the window).
ALTER TABLE stage_application DROP CONSTRAINT stage_application_status_check;
ALTER TABLE stage_application ADD CONSTRAINT stage_application_status_check
  CHECK (status IN ('submitted', 'correction_requested', 'accepted', 'refused', 'rejected', 'withdrawn', 'terminated', 'completed'));
ALTER TABLE stage_application ADD COLUMN ended_at timestamptz;
ALTER TABLE stage_application ADD COLUMN ended_reason text;
ALTER TABLE stage_application ADD COLUMN ended_by uuid REFERENCES app_user (id);

-- Item tasks: 'correction' waits for the applicant's 补正 (clock stopped); 'withdrawn' and 'terminated'
-- end with the application (or because a prerequisite was refused). 'returned' was never written: dropped.
ALTER TABLE item_task DROP CONSTRAINT item_task_status_check;
UPDATE item_task SET status = 'correction'
  WHERE status = 'paused'
    AND EXISTS (SELECT 1 FROM clock_pause p WHERE p.task_id = item_task.id AND p.kind = 'correction' AND p.ended_at IS NULL);
ALTER TABLE item_task ADD CONSTRAINT item_task_status_check
  CHECK (status IN ('in_review', 'paused', 'correction', 'approved', 'rejected', 'revoked', 'withdrawn', 'terminated'));
-- Working days from acceptance to the deadline (its prerequisite chain included): what a new calendar
-- notice recomputes the deadline from. Older rows carry their promised days.
ALTER TABLE item_task ADD COLUMN limit_working_days integer;
UPDATE item_task SET limit_working_days = promised_days;
ALTER TABLE item_task ALTER COLUMN limit_working_days SET NOT NULL;
-- Rows written without it (bulk loads, fixtures) count their promised days, as the first release did.
CREATE FUNCTION item_task_default_limit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.limit_working_days := COALESCE(NEW.limit_working_days, NEW.promised_days);
  RETURN NEW;
END $$;
CREATE TRIGGER item_task_default_limit BEFORE INSERT ON item_task
  FOR EACH ROW EXECUTE FUNCTION item_task_default_limit();
-- 延期 (《行政许可法》第四十二条): working days an approved extension added (at most once per task).
ALTER TABLE item_task ADD COLUMN extended_days integer NOT NULL DEFAULT 0 CHECK (extended_days >= 0);
-- Each 补正 answered or supervised reopening starts a new round of decisions; every round is kept.
ALTER TABLE item_task ADD COLUMN round integer NOT NULL DEFAULT 1 CHECK (round >= 1);
ALTER TABLE item_task ADD COLUMN ended_reason text;
-- The refused task whose refusal ended this one (restored if that refusal is corrected by reopening).
ALTER TABLE item_task ADD COLUMN ended_by_task uuid REFERENCES item_task (id);

ALTER TABLE task_decision DROP CONSTRAINT task_decision_step_uq;
ALTER TABLE task_decision ADD COLUMN round integer NOT NULL DEFAULT 1;
ALTER TABLE task_decision ADD CONSTRAINT task_decision_round_step_uq UNIQUE (task_id, round, step);

-- 补正 has a due date for the answer; past it the window may terminate the application.
ALTER TABLE correction_request ADD COLUMN due_date date;
ALTER TABLE correction_request ADD COLUMN reminded_at timestamptz;

-- 延期: asked by the reviewer, decided by the department's head; at most one approved per task.
CREATE TABLE task_extension (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id       uuid NOT NULL REFERENCES item_task (id),
  working_days  integer NOT NULL CHECK (working_days BETWEEN 1 AND 60),
  reason        text NOT NULL,
  status        text NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
  requested_by  uuid NOT NULL REFERENCES app_user (id),
  requested_at  timestamptz NOT NULL,
  decided_by    uuid REFERENCES app_user (id),
  decided_at    timestamptz,
  opinion       text
);
CREATE UNIQUE INDEX task_extension_one_open_uq ON task_extension (task_id) WHERE status = 'pending';
CREATE UNIQUE INDEX task_extension_one_approved_uq ON task_extension (task_id) WHERE status = 'approved';

-- Supervised correction of a wrong decision: asked by the department's head, countersigned by a supervisor.
CREATE TABLE task_reopening (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  task_id          uuid NOT NULL REFERENCES item_task (id),
  reason           text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'approved', 'refused')),
  from_status      text NOT NULL,
  requested_by     uuid NOT NULL REFERENCES app_user (id),
  requested_at     timestamptz NOT NULL,
  countersigned_by uuid REFERENCES app_user (id),
  countersigned_at timestamptz,
  opinion          text
);
CREATE UNIQUE INDEX task_reopening_one_open_uq ON task_reopening (task_id) WHERE status = 'pending';

-- A reopened task that is approved again gets a new certificate; the revoked one stays on record.
ALTER TABLE certificate DROP CONSTRAINT certificate_task_uq;
CREATE UNIQUE INDEX certificate_task_in_force_uq ON certificate (task_id) WHERE revoked_at IS NULL;

-- 模拟审批: what evidences a precondition (a document number such as the land contract's, or a file); a
-- simulated decision turns formal only when the deciding department confirms it.
CREATE TABLE precondition_evidence (
  project_id      uuid NOT NULL REFERENCES project (id),
  precondition    text NOT NULL,
  document_number text,
  file_id         uuid REFERENCES material_file (id),
  supplied_by     uuid NOT NULL REFERENCES app_user (id),
  supplied_at     timestamptz NOT NULL,
  CONSTRAINT precondition_evidence_pkey PRIMARY KEY (project_id, precondition),
  CONSTRAINT precondition_evidence_present CHECK (document_number IS NOT NULL OR file_id IS NOT NULL)
);
