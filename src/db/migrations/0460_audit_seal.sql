-- Issue 10 §1–2 and issue 9 §8: the audit chain is sealed by one sealer, not under a global lock held by
-- every business transaction; signed checkpoints anchor it; signing keys leave the database.

-- Business transactions insert events unsealed (no prev_hash/hash) with their transaction id. The sealer
-- hashes them into the chain only once no transaction with a smaller id can still commit
-- (pg_snapshot_xmin), and records the chain position it gave each one (seal_seq) — sequence ids are
-- taken before commit, so id order alone is not the order in which events become final.
ALTER TABLE audit_event
  ADD COLUMN xid xid8,
  ADD COLUMN seal_seq bigint,
  -- HMAC-SM3 of the hash under a key derived from the audit key (SIGNING_KEY_FILE): tells the sealer
  -- that it sealed this event itself, so a row appended with a correctly recomputed hash is not covered
  -- by the next checkpoint. NULL for events sealed before this migration.
  ADD COLUMN seal_mac text,
  -- When the row was inserted (database time, not hashed): the age of the oldest unsealed event.
  ADD COLUMN recorded_at timestamptz,
  ALTER COLUMN prev_hash DROP NOT NULL,
  ALTER COLUMN hash DROP NOT NULL;
ALTER TABLE audit_event ALTER COLUMN xid SET DEFAULT pg_current_xact_id();
ALTER TABLE audit_event ALTER COLUMN recorded_at SET DEFAULT now();

-- Events chained before this migration keep their hashes; their chain position is their id order.
UPDATE audit_event a SET seal_seq = r.n
  FROM (SELECT id, row_number() OVER (ORDER BY id) AS n FROM audit_event) r
 WHERE a.id = r.id;

CREATE UNIQUE INDEX audit_event_seal_seq_uq ON audit_event (seal_seq);
CREATE INDEX audit_event_unsealed_idx ON audit_event (id) WHERE seal_seq IS NULL;
ALTER TABLE audit_event ADD CONSTRAINT audit_event_sealed_ck
  CHECK ((seal_seq IS NULL) = (hash IS NULL) AND (hash IS NULL) = (prev_hash IS NULL));

-- The server's role seals (sets the seal columns once) but never edits an event (0200 revoked UPDATE).
GRANT UPDATE (seal_seq, prev_hash, hash, seal_mac) ON audit_event TO zz_app;

-- A sealed event is final for everyone but the table owner (whose rights the checkpoints guard against:
-- an owner's edit is what the verifier exists to find, and tests make such edits on purpose).
CREATE FUNCTION audit_event_seal_once() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.seal_seq IS NOT NULL THEN
    IF NOT EXISTS (SELECT 1 FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
                    WHERE c.oid = TG_RELID AND r.rolname = current_user) THEN
      RAISE EXCEPTION 'audit event % is sealed', OLD.id USING ERRCODE = '42501';
    END IF;
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER audit_event_seal_once BEFORE UPDATE ON audit_event
  FOR EACH ROW EXECUTE FUNCTION audit_event_seal_once();

-- Signed checkpoints {lastEventId, count, headHash, at}: also appended to files outside the database
-- (AUDIT_CHECKPOINT_DIR); `exported` records that the file line was written.
CREATE TABLE audit_checkpoint (
  seq            bigint PRIMARY KEY,
  last_event_id  bigint NOT NULL,
  event_count    bigint NOT NULL,
  head_hash      text NOT NULL,
  at             timestamptz NOT NULL,
  key_id         text NOT NULL,
  signature      text NOT NULL,
  exported       boolean NOT NULL DEFAULT false
);
REVOKE UPDATE, DELETE, TRUNCATE ON audit_checkpoint FROM zz_app;
GRANT SELECT, INSERT ON audit_checkpoint TO zz_app;
GRANT UPDATE (exported) ON audit_checkpoint TO zz_app;

-- Signing keys come from SIGNING_KEY_FILE; the database keeps public keys only (old certificates still
-- verify). `active` marks the key that signed the latest certificates of this database.
ALTER TABLE signing_key DROP COLUMN private_key;
