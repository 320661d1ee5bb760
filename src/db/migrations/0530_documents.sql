-- Administrative documents (行政文书, issue 16 item 4): the notices an office prints and hands out —
-- 受理通知书, 补正告知书, 不予受理决定书, 不予许可决定书, 延期告知书, 办结通知书 — each written in the
-- transaction of the event that produces it, numbered in its issuer's yearly 文号 series and signed
-- with SM2 like the certificates. Issued documents are never changed (the application role may not).
CREATE TABLE document_serial (
  issuer_code text NOT NULL,
  series      text NOT NULL,
  year        integer NOT NULL,
  last_value  integer NOT NULL CHECK (last_value > 0),
  PRIMARY KEY (issuer_code, series, year)
);

CREATE TABLE administrative_document (
  id              uuid PRIMARY KEY,
  -- Issue order (documents of one event share its timestamp).
  seq             bigint GENERATED ALWAYS AS IDENTITY,
  kind            text NOT NULL CHECK (kind IN ('acceptance', 'correction', 'refusal', 'denial', 'extension', 'completion')),
  number          text NOT NULL UNIQUE,
  issuer_code     text NOT NULL REFERENCES department (code),
  project_id      uuid NOT NULL REFERENCES project (id),
  application_id  uuid REFERENCES stage_application (id),
  task_id         uuid REFERENCES item_task (id),
  title           text NOT NULL,
  content         jsonb NOT NULL,
  issued_at       timestamptz NOT NULL,
  signature       text NOT NULL,
  signer_key_id   text NOT NULL
);
CREATE INDEX administrative_document_application_idx ON administrative_document (application_id, seq);
CREATE INDEX administrative_document_project_idx ON administrative_document (project_id, seq);

REVOKE UPDATE, DELETE, TRUNCATE ON administrative_document FROM zz_app;
