-- Public portal (issue 14): the query code a project's applicant receives at registration, and
-- consultations (咨询辅导, task 56). The provincial exchange: the outbox written with each change, the
-- local SPGL rows built from it, upload batches and reconciliation reports.

-- 查询码: only its SHA-256 is kept, so a database reader cannot follow a project as the public would.
-- One current code per project; a reissue replaces it (the old one stops working).
CREATE TABLE portal_query_code (
  project_id   uuid PRIMARY KEY REFERENCES project (id),
  code_hash    text NOT NULL,
  issued_at    timestamptz NOT NULL
);

CREATE TABLE portal_consultation (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- window: the 综合窗口; otherwise a department code (the department answers).
  routed_to      text NOT NULL,
  topic          text NOT NULL,
  question       text NOT NULL,
  asker_name     text NOT NULL,
  asker_contact  text NOT NULL,
  -- The asker reads the answer with this ticket (shown once); only the hash is kept.
  ticket_hash    text NOT NULL,
  asked_at       timestamptz NOT NULL,
  due_on         date NOT NULL,
  status         text NOT NULL CHECK (status IN ('open', 'answered', 'closed')),
  answer         text,
  answered_at    timestamptz,
  answered_by    uuid,
  published      boolean NOT NULL DEFAULT false,
  version        integer NOT NULL DEFAULT 0,
  CHECK ((status = 'open') = (answer IS NULL))
);
CREATE INDEX portal_consultation_open_idx ON portal_consultation (routed_to, due_on) WHERE status = 'open';
CREATE INDEX portal_consultation_faq_idx ON portal_consultation (answered_at) WHERE published;

-- Outbox: one row per recorded change of an exchanged object, in the change's own transaction.
CREATE TABLE exchange_outbox (
  id            bigserial PRIMARY KEY,
  object_type   text NOT NULL,
  object_id     text NOT NULL,
  action        text NOT NULL,
  to_state      text,
  reason        text,
  actor_user_id uuid,
  occurred_at   timestamptz NOT NULL,
  detail        jsonb NOT NULL DEFAULT '{}',
  processed_at  timestamptz
);
CREATE INDEX exchange_outbox_pending_idx ON exchange_outbox (id) WHERE processed_at IS NULL;

-- The local SPGL rows (what the province should hold), keyed by table and 地方数据主键 (DFSJZJ).
-- upload_state: pending (changed, not yet in the 前置库) | uploaded | invalid (a validation rule fails;
-- held back and listed for the administrator) | dead (too many failed attempts; an administrator retries).
CREATE TABLE exchange_row (
  table_code      text NOT NULL,
  dfsjzj          text NOT NULL,
  project_id      uuid,
  payload         jsonb NOT NULL,
  checksum        text NOT NULL,
  problems        jsonb NOT NULL DEFAULT '[]',
  upload_state    text NOT NULL CHECK (upload_state IN ('pending', 'uploaded', 'invalid', 'dead')),
  attempts        integer NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL,
  last_error      text,
  changed_at      timestamptz NOT NULL,
  uploaded_at     timestamptz,
  uploaded_checksum text,
  PRIMARY KEY (table_code, dfsjzj)
);
CREATE INDEX exchange_row_due_idx ON exchange_row (next_attempt_at) WHERE upload_state = 'pending';

-- One row per upload batch: the notification to the province is retried until it is delivered.
CREATE TABLE exchange_batch (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  created_at      timestamptz NOT NULL,
  row_count       integer NOT NULL,
  tables          jsonb NOT NULL,
  notify_state    text NOT NULL CHECK (notify_state IN ('pending', 'delivered', 'dead', 'skipped')),
  notify_attempts integer NOT NULL DEFAULT 0,
  next_notify_at  timestamptz NOT NULL,
  notified_at     timestamptz,
  last_error      text
);
CREATE INDEX exchange_batch_notify_idx ON exchange_batch (next_notify_at) WHERE notify_state = 'pending';

CREATE TABLE exchange_reconciliation (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  run_at      timestamptz NOT NULL,
  differences integer NOT NULL,
  tables      jsonb NOT NULL,
  error       text
);
