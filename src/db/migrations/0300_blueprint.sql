-- 一张蓝图 / 多规合一 (reform plan tasks 40, 43, 44, 51–53): planning layers and control lines in
-- PostGIS (CGCS2000, EPSG:4490), site checks, 差异图斑 analyses, 策划生成 with early opinions.

-- A layer upload. The same name + kind uploaded again is a new version; older versions stay for the
-- record (task 53: the blueprint changes over time), only the current one is used by checks.
CREATE TABLE blueprint_layer (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name          text NOT NULL,
  kind          text NOT NULL CHECK (kind IN ('ecological_redline', 'basic_farmland', 'urban_boundary',
                  'regional_assessment', 'land_use_plan', 'urban_plan')),
  version       integer NOT NULL CHECK (version >= 1),
  is_current    boolean NOT NULL DEFAULT true,
  feature_count integer NOT NULL DEFAULT 0,
  created_by    uuid REFERENCES app_user (id),
  created_at    timestamptz NOT NULL,
  CONSTRAINT blueprint_layer_version_uq UNIQUE (name, kind, version)
);
-- Two concurrent uploads of one name + kind cannot both become current.
CREATE UNIQUE INDEX blueprint_layer_current_uq ON blueprint_layer (name, kind) WHERE is_current;
CREATE INDEX blueprint_layer_kind_idx ON blueprint_layer (kind) WHERE is_current;

CREATE TABLE blueprint_feature (
  id          bigserial PRIMARY KEY,
  layer_id    uuid NOT NULL REFERENCES blueprint_layer (id) ON DELETE CASCADE,
  feature_no  integer NOT NULL,
  name        text,
  land_use    text,
  unit_code   text,
  assessments text[] NOT NULL DEFAULT '{}',
  properties  jsonb NOT NULL DEFAULT '{}',
  geom        geometry(MultiPolygon, 4490) NOT NULL
);
CREATE INDEX blueprint_feature_geom_idx ON blueprint_feature USING gist (geom);
CREATE INDEX blueprint_feature_layer_idx ON blueprint_feature (layer_id);

-- The check made when a project is registered (kept with the project: what the applicant was told).
CREATE TABLE project_site_check (
  id                   uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  project_id           uuid NOT NULL REFERENCES project (id),
  verdict              text NOT NULL CHECK (verdict IN ('clear', 'warning', 'blocked')),
  site_area_m2         double precision NOT NULL,
  conflicts            jsonb NOT NULL,
  regional_assessments jsonb NOT NULL,
  checked_at           timestamptz NOT NULL
);
CREATE INDEX project_site_check_project_idx ON project_site_check (project_id);

-- 差异图斑 (task 52): where two plans assign different land-use classes.
CREATE TABLE difference_analysis (
  id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  layer_a       uuid NOT NULL REFERENCES blueprint_layer (id),
  layer_b       uuid NOT NULL REFERENCES blueprint_layer (id),
  status        text NOT NULL CHECK (status IN ('queued', 'running', 'done', 'failed')),
  processed     integer NOT NULL DEFAULT 0,
  total         integer NOT NULL DEFAULT 0,
  patch_count   integer NOT NULL DEFAULT 0,
  total_area_m2 double precision NOT NULL DEFAULT 0,
  error         text,
  created_by    uuid REFERENCES app_user (id),
  created_at    timestamptz NOT NULL,
  finished_at   timestamptz
);

CREATE TABLE difference_patch (
  id          bigserial PRIMARY KEY,
  analysis_id uuid NOT NULL REFERENCES difference_analysis (id) ON DELETE CASCADE,
  feature_a   bigint NOT NULL,
  feature_b   bigint NOT NULL,
  land_use_a  text NOT NULL,
  land_use_b  text NOT NULL,
  area_m2     double precision NOT NULL,
  geom        geometry(MultiPolygon, 4490) NOT NULL
);
CREATE INDEX difference_patch_analysis_idx ON difference_patch (analysis_id);

-- 策划生成 (tasks 43, 51): a planned project and the departments' early opinions / 建设条件.
CREATE TABLE planned_project (
  id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name         text NOT NULL,
  site         geometry(MultiPolygon, 4490) NOT NULL,
  site_area_m2 double precision NOT NULL,
  site_check   jsonb NOT NULL,
  working_days integer NOT NULL CHECK (working_days BETWEEN 1 AND 60),
  created_by   uuid NOT NULL REFERENCES app_user (id),
  created_at   timestamptz NOT NULL
);

CREATE TABLE planned_project_opinion (
  planned_project_id uuid NOT NULL REFERENCES planned_project (id),
  department_code    text NOT NULL REFERENCES department (code),
  deadline           date NOT NULL,
  opinion            text,
  conditions         jsonb,
  answered_by        uuid REFERENCES app_user (id),
  answered_at        timestamptz,
  PRIMARY KEY (planned_project_id, department_code)
);
