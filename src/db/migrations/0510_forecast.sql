-- Foresight (issue 17): saved reform scenarios. A scenario is a sandbox copy of one template version
-- with its changes (limits, parallel items, merges, 告知承诺 / 容缺 shares); live data is never touched.
CREATE TABLE forecast_scenario (
  id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name              text NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  template_code     text NOT NULL,
  template_version  integer NOT NULL,
  changes           jsonb NOT NULL,
  created_by        uuid NOT NULL REFERENCES app_user (id),
  created_at        timestamptz NOT NULL
);
CREATE INDEX forecast_scenario_template ON forecast_scenario (template_code, created_at DESC);
GRANT SELECT, INSERT, DELETE ON forecast_scenario TO zz_app;
