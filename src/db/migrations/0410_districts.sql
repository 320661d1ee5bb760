-- Registration that cannot contradict itself (issue 8): the city's county-level divisions and functional
-- zones an administrator manages, and district boundaries as a blueprint layer kind.

-- 行政区划: a project's districtCode must be one of these (the national code's second part).
CREATE TABLE district (
  code        text PRIMARY KEY CHECK (code ~ '^[0-9]{6}$'),
  name        text NOT NULL CHECK (length(btrim(name)) > 0),
  -- county: 县级行政区 (区、县、县级市); functional_zone: 功能区 the city configures (开发区、新区).
  kind        text NOT NULL CHECK (kind IN ('county', 'functional_zone')),
  -- Retired divisions stay for the projects already coded with them; new registrations refuse them.
  active      boolean NOT NULL DEFAULT true,
  sort_order  integer NOT NULL DEFAULT 0,
  updated_at  timestamptz NOT NULL,
  updated_by  uuid REFERENCES app_user (id)
);

-- 行政区界: features carry the division's code (adcode, kept in unit_code) and name.
ALTER TABLE blueprint_layer DROP CONSTRAINT blueprint_layer_kind_check;
ALTER TABLE blueprint_layer ADD CONSTRAINT blueprint_layer_kind_check
  CHECK (kind IN ('ecological_redline', 'basic_farmland', 'urban_boundary', 'regional_assessment',
                  'land_use_plan', 'urban_plan', 'district_boundary'));
CREATE INDEX blueprint_feature_unit_code_idx ON blueprint_feature (unit_code);

-- The district part of the registration site check (boundary loaded? site inside?).
ALTER TABLE project_site_check ADD COLUMN district_check jsonb;
