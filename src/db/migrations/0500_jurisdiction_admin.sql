-- City and districts in one system (issue 15): departments per county-level division, the level that
-- handles each item (事权), staff bound to a district, and enterprises that register themselves.

-- A district department (e.g. 中牟县自然资源和规划局) belongs to one division and one line (条线): the city
-- department whose items it handles at district level. City departments have neither.
ALTER TABLE department ADD COLUMN district_code text REFERENCES district (code);
ALTER TABLE department ADD COLUMN parent_code text REFERENCES department (code);
ALTER TABLE department ADD COLUMN active boolean NOT NULL DEFAULT true;
ALTER TABLE department ADD CONSTRAINT department_district_line
  CHECK ((district_code IS NULL) = (parent_code IS NULL));
-- One department per line and district: routing can never have two candidates.
CREATE UNIQUE INDEX department_district_line_uq ON department (district_code, parent_code)
  WHERE district_code IS NOT NULL;

-- 事权: which level handles an item. No row = city (every install starts city-wide).
--   city       市级部门办理
--   district   项目所在区县的同条线部门办理 (the city department where the district has none)
--   investment 总投资达到 city_from_investment 万元由市级办理，以下由区县办理
CREATE TABLE item_jurisdiction (
  item_code             text PRIMARY KEY,
  level                 text NOT NULL CHECK (level IN ('city', 'district', 'investment')),
  city_from_investment  numeric(14, 2) CHECK (city_from_investment IS NULL OR city_from_investment > 0),
  note                  text,
  updated_at            timestamptz NOT NULL,
  updated_by            uuid REFERENCES app_user (id),
  CONSTRAINT item_jurisdiction_threshold CHECK ((level = 'investment') = (city_from_investment IS NOT NULL))
);

-- Staff of a district (its window, supervisors; reviewers of its departments carry the department's
-- district). NULL = city level, which sees every district.
ALTER TABLE app_user ADD COLUMN district_code text REFERENCES district (code);
-- The administrator may require the second factor of one user, whatever the role's policy.
ALTER TABLE app_user ADD COLUMN mfa_required boolean NOT NULL DEFAULT false;
CREATE INDEX app_user_department_idx ON app_user (department_code);

-- An enterprise registers itself with its 统一社会信用代码; the window or an administrator confirms it.
-- Existing enterprises were created by the city: confirmed.
ALTER TABLE enterprise ADD COLUMN status text NOT NULL DEFAULT 'confirmed'
  CHECK (status IN ('pending', 'confirmed', 'rejected'));
ALTER TABLE enterprise ADD COLUMN contact_phone text;
ALTER TABLE enterprise ADD COLUMN reviewed_at timestamptz;
ALTER TABLE enterprise ADD COLUMN reviewed_by uuid REFERENCES app_user (id);
ALTER TABLE enterprise ADD COLUMN review_note text;

GRANT SELECT, INSERT, UPDATE, DELETE ON item_jurisdiction TO zz_app;
