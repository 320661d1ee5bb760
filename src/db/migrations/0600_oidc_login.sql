-- 统一身份认证 (issue 14 item 4): OpenID Connect login through the provincial identity provider.

-- One row per login started: the state (only its hash), the PKCE verifier and the nonce stay on the server.
-- The callback deletes the row it uses (DELETE … RETURNING), so a state is good once; expired rows are
-- refused and swept. browser_hash binds the flow to the browser that started it (a short cookie), so a
-- callback link sent to someone else logs nobody in.
CREATE TABLE oidc_login_state (
  state_hash     text PRIMARY KEY,
  browser_hash   text NOT NULL,
  code_verifier  text NOT NULL,
  nonce          text NOT NULL,
  created_at     timestamptz NOT NULL,
  expires_at     timestamptz NOT NULL
);
CREATE INDEX oidc_login_state_expires_idx ON oidc_login_state (expires_at);

-- A local account ↔ a person at an identity provider (issuer + subject). A subject names one account,
-- and an account has at most one subject per issuer.
CREATE TABLE user_identity_link (
  id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id        uuid NOT NULL REFERENCES app_user (id),
  issuer         text NOT NULL,
  subject        text NOT NULL,
  created_at     timestamptz NOT NULL,
  last_login_at  timestamptz NOT NULL,
  CONSTRAINT user_identity_link_subject_uq UNIQUE (issuer, subject),
  CONSTRAINT user_identity_link_user_uq UNIQUE (user_id, issuer)
);

GRANT SELECT, INSERT, DELETE ON oidc_login_state TO zz_app;
GRANT SELECT, INSERT, UPDATE ON user_identity_link TO zz_app;
