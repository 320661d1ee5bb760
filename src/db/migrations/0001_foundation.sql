-- Foundation: departments, enterprises, users, sessions, catalog, process templates, calendar, audit.
-- Frozen once landed: change the schema with a new numbered file, never by editing this one.

CREATE TABLE department (
  code         text PRIMARY KEY CHECK (code ~ '^[a-z][a-z0-9]{1,15}$'),
  name         text NOT NULL,
  kind         text NOT NULL CHECK (kind IN ('government', 'utility', 'review_body')),
  leads_stages integer[] NOT NULL DEFAULT '{}',
  created_at   timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE enterprise (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name        text NOT NULL,
  credit_code char(18) NOT NULL,
  legal_person text,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT enterprise_credit_code_uq UNIQUE (credit_code)
);

CREATE TABLE app_user (
  id                  uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  username            text NOT NULL,
  display_name        text NOT NULL,
  role                text NOT NULL CHECK (role IN ('applicant', 'window', 'reviewer', 'senior', 'coordinator', 'supervisor', 'agent', 'admin')),
  department_code     text REFERENCES department (code),
  enterprise_id       uuid REFERENCES enterprise (id),
  password_hash       text NOT NULL,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  failed_login_count  integer NOT NULL DEFAULT 0,
  locked_until        timestamptz,
  disabled            boolean NOT NULL DEFAULT false,
  created_at          timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT app_user_applicant_has_enterprise CHECK (role <> 'applicant' OR enterprise_id IS NOT NULL),
  CONSTRAINT app_user_staff_has_department CHECK (role NOT IN ('reviewer', 'senior', 'coordinator') OR department_code IS NOT NULL)
);
CREATE UNIQUE INDEX app_user_username_uq ON app_user (lower(username));

CREATE TABLE user_session (
  token_hash   text PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  csrf_token   text NOT NULL,
  created_at   timestamptz NOT NULL,
  last_seen_at timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL,
  ip           text,
  user_agent   text
);
CREATE INDEX user_session_user_id_idx ON user_session (user_id);

-- One row per version of an approval item (事项); a code's versions never overlap in time.
CREATE TABLE item_version (
  code                     text NOT NULL,
  version                  integer NOT NULL CHECK (version >= 1),
  name                     text NOT NULL,
  stage                    smallint NOT NULL CHECK (stage BETWEEN 1 AND 5),
  department_code          text NOT NULL REFERENCES department (code),
  legal_basis_level        text NOT NULL CHECK (legal_basis_level IN ('law', 'regulation', 'state_council_decision', 'department_rule', 'normative_document')),
  legal_basis              text NOT NULL,
  legal_time_limit_days    integer NOT NULL CHECK (legal_time_limit_days >= 1),
  promised_time_limit_days integer NOT NULL CHECK (promised_time_limit_days >= 1),
  time_limit_confirmed     boolean NOT NULL,
  commitment_allowed       boolean NOT NULL,
  materials                jsonb NOT NULL,
  form_fields              jsonb NOT NULL,
  result_document_type     text NOT NULL,
  certificate_type         text,
  regional_assessment      text,
  status                   text NOT NULL CHECK (status IN ('active', 'cancelled', 'merged')),
  effective_from           date NOT NULL,
  effective_to             date,
  created_at               timestamptz NOT NULL DEFAULT now(),
  created_by               uuid REFERENCES app_user (id),
  CONSTRAINT item_version_pkey PRIMARY KEY (code, version),
  CONSTRAINT item_version_promised_within_legal CHECK (promised_time_limit_days <= legal_time_limit_days),
  CONSTRAINT item_version_effective_order CHECK (effective_to IS NULL OR effective_to >= effective_from)
);
CREATE INDEX item_version_current_idx ON item_version (code) WHERE effective_to IS NULL;

CREATE TABLE catalog_change (
  id               text PRIMARY KEY,
  kind             text NOT NULL CHECK (kind IN ('merge', 'cancel', 'create', 'amend')),
  item_codes       text[] NOT NULL,
  result_item_code text,
  basis            text NOT NULL,
  description      text NOT NULL,
  effective_date   date NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  created_by       uuid REFERENCES app_user (id)
);

CREATE TABLE process_template_version (
  code                  text NOT NULL,
  version               integer NOT NULL CHECK (version >= 1),
  name                  text NOT NULL,
  national_process_type text NOT NULL,
  definition            jsonb NOT NULL,
  effective_from        date NOT NULL,
  effective_to          date,
  created_at            timestamptz NOT NULL DEFAULT now(),
  created_by            uuid REFERENCES app_user (id),
  CONSTRAINT process_template_version_pkey PRIMARY KEY (code, version)
);

-- An administrator-loaded State Council holiday notice; replaces the default data for its year.
CREATE TABLE calendar_notice (
  year            integer PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
  title           text NOT NULL,
  document_number text NOT NULL,
  days            jsonb NOT NULL,
  version         integer NOT NULL DEFAULT 1,
  loaded_at       timestamptz NOT NULL,
  loaded_by       uuid REFERENCES app_user (id)
);

-- Every state change, written in the same transaction as the change itself, SM3 hash-chained.
CREATE TABLE audit_event (
  id            bigserial PRIMARY KEY,
  occurred_at   timestamptz NOT NULL,
  actor_user_id uuid,
  actor_role    text,
  action        text NOT NULL,
  object_type   text NOT NULL,
  object_id     text NOT NULL,
  from_state    text,
  to_state      text,
  reason        text,
  detail        jsonb NOT NULL DEFAULT '{}',
  prev_hash     text NOT NULL,
  hash          text NOT NULL
);
CREATE INDEX audit_event_object_idx ON audit_event (object_type, object_id);
