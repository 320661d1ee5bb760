-- Storage hardening (issue 9, item 6): the per-enterprise quota sums an enterprise's distinct blobs,
-- and the daily sweep finds files never attached to anything and blobs no row refers to.
CREATE INDEX material_file_uploaded_idx ON material_file (uploaded_at);
CREATE INDEX material_file_sha256_idx ON material_file (sha256);
CREATE INDEX material_file_enterprise_sha_idx ON material_file (enterprise_id, sha256);
-- The sweep asks "does anything attach this file?" of each attaching table.
CREATE INDEX application_material_file_idx ON application_material (file_id);
CREATE INDEX deficiency_file_idx ON deficiency (file_id) WHERE file_id IS NOT NULL;
CREATE INDEX project_material_file_idx ON project_material (file_id);
CREATE INDEX precondition_evidence_file_idx ON precondition_evidence (file_id) WHERE file_id IS NOT NULL;
