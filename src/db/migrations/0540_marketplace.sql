-- The online intermediary marketplace (网上中介服务超市, issue 13; tasks 12, 13, 63, 64): the published list of
-- intermediary services (with the retained 公示 and 技术审查 items, which never charge the applicant),
-- intermediaries with their qualifications and offers, owners' needs with the selection (direct choice,
-- reproducible draw, sealed quotes), the contracted service under a working-day clock, its report, the
-- owner's rating (GB/T 39046 A.8 满意度代码) and complaints.

-- 中介机构 users: one role more; like an applicant, an intermediary user acts for its own organisation.
ALTER TABLE app_user DROP CONSTRAINT app_user_role_check;
ALTER TABLE app_user ADD CONSTRAINT app_user_role_check
  CHECK (role IN ('applicant', 'window', 'reviewer', 'senior', 'head', 'coordinator', 'supervisor', 'agent', 'admin', 'intermediary'));
ALTER TABLE app_user ADD CONSTRAINT app_user_intermediary_has_enterprise
  CHECK (role <> 'intermediary' OR enterprise_id IS NOT NULL);

-- Credit records written by the marketplace: an overdue service, an upheld complaint.
ALTER TABLE credit_record DROP CONSTRAINT credit_record_kind_check;
ALTER TABLE credit_record ADD CONSTRAINT credit_record_kind_check CHECK (kind IN (
  'commitment_broken', 'deficiency_overdue', 'approval_revoked', 'false_materials', 'inspection_failed',
  'department_entry', 'on_time_completion', 'award', 'service_overdue', 'service_complaint'));

-- 中介服务事项清单 and the lists of retained 公示 / 技术审查 items (task 12: none may charge the applicant).
CREATE TABLE market_service (
  code              text PRIMARY KEY CHECK (code ~ '^[A-Z0-9][A-Z0-9-]{2,63}$'),
  list              text NOT NULL CHECK (list IN ('intermediary', 'publicity', 'technical_review')),
  name              text NOT NULL,
  basis             text NOT NULL,
  item_codes        text[] NOT NULL DEFAULT '{}',
  standard          text NOT NULL,
  time_limit_days   integer NOT NULL CHECK (time_limit_days BETWEEN 1 AND 365),
  fee_standard      text NOT NULL,
  fee_max_yuan      numeric(14, 2) CHECK (fee_max_yuan >= 0),
  charges_applicant boolean NOT NULL,
  material_code     text,
  active            boolean NOT NULL DEFAULT true,
  updated_at        timestamptz NOT NULL,
  CONSTRAINT market_service_no_charge_ck CHECK (list = 'intermediary' OR (NOT charges_applicant AND fee_max_yuan IS NULL))
);

CREATE TABLE market_intermediary (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  enterprise_id  uuid NOT NULL REFERENCES enterprise (id),
  name           text NOT NULL,
  credit_code    text NOT NULL,
  contact_name   text NOT NULL,
  contact_phone  text NOT NULL,
  address        text NOT NULL,
  status         text NOT NULL CHECK (status IN ('pending', 'listed', 'rejected', 'suspended')),
  review_note    text,
  reviewed_by    uuid REFERENCES app_user (id),
  reviewed_at    timestamptz,
  created_at     timestamptz NOT NULL,
  updated_at     timestamptz NOT NULL,
  CONSTRAINT market_intermediary_enterprise_uq UNIQUE (enterprise_id),
  CONSTRAINT market_intermediary_code_uq UNIQUE (credit_code)
);

CREATE TABLE market_qualification (
  id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  intermediary_id  uuid NOT NULL REFERENCES market_intermediary (id),
  name             text NOT NULL,
  grade            text NOT NULL,
  certificate_no   text NOT NULL,
  issuer           text NOT NULL,
  expires_on       date NOT NULL,
  CONSTRAINT market_qualification_uq UNIQUE (intermediary_id, certificate_no)
);

-- What an intermediary offers: its fee (within the standard) and its service commitment (服务承诺制).
CREATE TABLE market_offer (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  intermediary_id   uuid NOT NULL REFERENCES market_intermediary (id),
  service_code      text NOT NULL REFERENCES market_service (code),
  qualification_id  uuid NOT NULL REFERENCES market_qualification (id),
  fee_yuan          numeric(14, 2) NOT NULL CHECK (fee_yuan >= 0),
  committed_days    integer NOT NULL CHECK (committed_days >= 1),
  commitment        text NOT NULL,
  status            text NOT NULL CHECK (status IN ('pending', 'listed', 'unlisted')),
  unlisted_reason   text,
  created_at        timestamptz NOT NULL,
  updated_at        timestamptz NOT NULL,
  CONSTRAINT market_offer_uq UNIQUE (intermediary_id, service_code)
);

-- An owner's need and its selection (one of direct / draw / quote).
CREATE TABLE market_need (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id         uuid NOT NULL REFERENCES project (id),
  enterprise_id      uuid NOT NULL REFERENCES enterprise (id),
  service_code       text NOT NULL REFERENCES market_service (code),
  description        text NOT NULL,
  budget_yuan        numeric(14, 2) NOT NULL CHECK (budget_yuan > 0),
  due_on             date NOT NULL,
  status             text NOT NULL CHECK (status IN ('open', 'quoting', 'selected', 'contracted', 'cancelled')),
  method             text CHECK (method IN ('direct', 'draw', 'quote')),
  quote_opens_at     timestamptz,
  quotes_opened_at   timestamptz,
  draw_algorithm     text,
  draw_seed          text,
  draw_pool          jsonb,
  draw_pool_hash     text,
  excluded           jsonb NOT NULL DEFAULT '[]',
  selected_offer_id  uuid REFERENCES market_offer (id),
  selection_note     text,
  cancel_reason      text,
  created_by         uuid NOT NULL REFERENCES app_user (id),
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL
);
CREATE INDEX market_need_project_idx ON market_need (project_id);

-- Sealed quotes: the service never shows an amount before quote_opens_at (not even to staff).
CREATE TABLE market_quote (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  need_id         uuid NOT NULL REFERENCES market_need (id),
  offer_id        uuid NOT NULL REFERENCES market_offer (id),
  amount_yuan     numeric(14, 2) NOT NULL CHECK (amount_yuan > 0),
  committed_days  integer NOT NULL CHECK (committed_days >= 1),
  note            text NOT NULL DEFAULT '',
  submitted_at    timestamptz NOT NULL,
  CONSTRAINT market_quote_uq UNIQUE (need_id, offer_id)
);

-- The contract and the service under supervision.
CREATE TABLE market_engagement (
  id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  need_id            uuid NOT NULL REFERENCES market_need (id),
  offer_id           uuid NOT NULL REFERENCES market_offer (id),
  intermediary_id    uuid NOT NULL REFERENCES market_intermediary (id),
  contract_no        text NOT NULL,
  amount_yuan        numeric(14, 2) NOT NULL CHECK (amount_yuan >= 0),
  committed_days     integer NOT NULL CHECK (committed_days >= 1),
  signed_on          date NOT NULL,
  deadline           date NOT NULL,
  status             text NOT NULL CHECK (status IN ('in_service', 'delivered', 'accepted', 'terminated')),
  clock_state        text NOT NULL DEFAULT 'normal' CHECK (clock_state IN ('normal', 'warning', 'overdue')),
  report_file_id     uuid REFERENCES material_file (id),
  report_no          text,
  report_summary     text,
  delivered_on       date,
  return_reason      text,
  accepted_at        timestamptz,
  adopted_file_id    uuid REFERENCES material_file (id),
  satisfaction_code  integer CHECK (satisfaction_code BETWEEN 1 AND 5),
  rating_comment     text,
  rated_at           timestamptz,
  ended_reason       text,
  finished_on        date,
  created_at         timestamptz NOT NULL,
  updated_at         timestamptz NOT NULL,
  CONSTRAINT market_engagement_need_uq UNIQUE (need_id)
);
CREATE INDEX market_engagement_status_idx ON market_engagement (status);

CREATE TABLE market_complaint (
  id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  engagement_id   uuid NOT NULL REFERENCES market_engagement (id),
  filed_by        uuid NOT NULL REFERENCES app_user (id),
  reason          text NOT NULL,
  status          text NOT NULL CHECK (status IN ('filed', 'upheld', 'dismissed')),
  decision_note   text,
  decided_by      uuid REFERENCES app_user (id),
  decided_at      timestamptz,
  created_at      timestamptz NOT NULL
);
CREATE UNIQUE INDEX market_complaint_open_uq ON market_complaint (engagement_id) WHERE status = 'filed';

-- 中介服务事项办理信息表 / 中介服务事项办理过程信息表: the rows kept for the exchange, one per engagement
-- (upserted) and one per step (appended).
CREATE TABLE market_exchange_row (
  id          bigserial PRIMARY KEY,
  table_name  text NOT NULL CHECK (table_name IN ('中介服务事项办理信息表', '中介服务事项办理过程信息表')),
  local_key   text NOT NULL,
  engagement_id uuid NOT NULL REFERENCES market_engagement (id),
  row         jsonb NOT NULL,
  written_at  timestamptz NOT NULL,
  CONSTRAINT market_exchange_row_uq UNIQUE (table_name, local_key)
);
