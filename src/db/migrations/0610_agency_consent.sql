-- 帮办代办 on the enterprise's word (issue 16 item 11), and temporary passwords (issue 15).

-- 委托代办: an enterprise names one agent and what the agent may do for it (register its projects,
-- apply for its stages) until a date. The enterprise revokes it at any time; a new consent for the same
-- agent supersedes the old one (revoked with reason 'superseded'). Nothing is deleted: the record says
-- who gave, whom, for what, when, and who ended it.
CREATE TABLE agency_consent (
  id                     uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  enterprise_id          uuid NOT NULL REFERENCES enterprise (id),
  agent_user_id          uuid NOT NULL REFERENCES app_user (id),
  may_register_project   boolean NOT NULL,
  may_apply_stage        boolean NOT NULL,
  -- The last day (Beijing) the consent holds.
  valid_until            date NOT NULL,
  note                   text,
  granted_by             uuid NOT NULL REFERENCES app_user (id),
  granted_at             timestamptz NOT NULL,
  revoked_at             timestamptz,
  revoked_by             uuid REFERENCES app_user (id),
  revoke_reason          text,
  CONSTRAINT agency_consent_some_scope CHECK (may_register_project OR may_apply_stage),
  CONSTRAINT agency_consent_revoked CHECK ((revoked_at IS NULL) = (revoked_by IS NULL))
);
-- One standing consent per enterprise and agent: two concurrent grants cannot both stand.
CREATE UNIQUE INDEX agency_consent_standing_uq ON agency_consent (enterprise_id, agent_user_id)
  WHERE revoked_at IS NULL;
CREATE INDEX agency_consent_agent_idx ON agency_consent (agent_user_id);

GRANT SELECT, INSERT, UPDATE ON agency_consent TO zz_app;

-- A password an administrator set (new user, reset) must be changed at the next login, for every role
-- and whatever the expiry policy. Earlier installs marked it with password_changed_at = epoch.
ALTER TABLE app_user ADD COLUMN password_temporary boolean NOT NULL DEFAULT false;
UPDATE app_user SET password_temporary = true WHERE password_changed_at = 'epoch'::timestamptz;
