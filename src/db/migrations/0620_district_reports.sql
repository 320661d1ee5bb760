-- Issue 15: the monthly 定期通报 per district as well as for the whole city. A report belongs to the
-- city (district_code NULL) or to one district; one per month and scope.
ALTER TABLE stats_report ADD COLUMN district_code text REFERENCES district (code);
ALTER TABLE stats_report DROP CONSTRAINT stats_report_month_key;
CREATE UNIQUE INDEX stats_report_month_scope_uq ON stats_report (month, district_code) NULLS NOT DISTINCT;
