-- Login that resists abuse (issue 9): failures and throttles kept in the database so every API process
-- shares them; counted by client address and by (typed user name, address) — never by account alone, so
-- nobody can lock a victim out from somewhere else. Names are counted whether or not an account exists.

-- One row per failed attempt; counts are taken over a sliding window, old rows are pruned as we go.
CREATE TABLE login_failure (
  id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  account_key text NOT NULL,            -- lower(trim(user name)) as typed, existing or not
  address     text NOT NULL,
  failed_at   timestamptz NOT NULL
);
CREATE INDEX login_failure_address_idx ON login_failure (address, failed_at);
CREATE INDEX login_failure_pair_idx ON login_failure (account_key, address, failed_at);

-- A throttle in force: the whole address (every name) or one name from one address.
CREATE TABLE login_throttle (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  scope       text NOT NULL CHECK (scope IN ('address', 'account_address')),
  account_key text,
  address     text NOT NULL,
  failures    integer NOT NULL,
  started_at  timestamptz NOT NULL,
  ends_at     timestamptz NOT NULL,
  cleared_at  timestamptz,
  cleared_by  uuid REFERENCES app_user (id),
  CONSTRAINT login_throttle_scope_key CHECK ((scope = 'address') = (account_key IS NULL)),
  CONSTRAINT login_throttle_order CHECK (ends_at > started_at)
);
CREATE INDEX login_throttle_active_idx ON login_throttle (address, ends_at) WHERE cleared_at IS NULL;

-- Earlier password hashes (argon2id) of a user: a new password may not be one of the last N.
CREATE TABLE password_history (
  id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id       uuid NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  password_hash text NOT NULL,
  retired_at    timestamptz NOT NULL
);
CREATE INDEX password_history_user_idx ON password_history (user_id, retired_at DESC);

ALTER TABLE app_user
  -- Demo accounts (never in production) share a published password and must survive a moved CLOCK_NOW.
  ADD COLUMN password_expiry_exempt boolean NOT NULL DEFAULT false,
  -- TOTP (RFC 6238): the secret being enrolled, the active one, and the last time step accepted (no replay).
  ADD COLUMN totp_pending_secret text,
  ADD COLUMN totp_secret text,
  ADD COLUMN totp_enabled_at timestamptz,
  ADD COLUMN totp_last_step bigint;

-- A session that may only change its password or enrol the second factor.
ALTER TABLE user_session
  ADD COLUMN restriction text CHECK (restriction IN ('password_change', 'totp_enrolment'));

-- The server runs as zz_app (0200); default privileges cover new tables, this states it for these.
GRANT SELECT, INSERT, UPDATE, DELETE ON login_failure, login_throttle, password_history TO zz_app;
