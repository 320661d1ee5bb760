-- 电子证照 (certificates): at most one active signing key, and a serial source for identifiers.

-- Two first issues running at once must not both create an active key: the second insert
-- conflicts on this index (ON CONFLICT DO NOTHING) and then reads the winner's key.
CREATE UNIQUE INDEX signing_key_one_active_uq ON signing_key (active) WHERE active;

-- 流水号 of the e-licence identifier (GB/T 36904 style): unique, never reused; gaps after a
-- rolled-back decision are harmless.
CREATE SEQUENCE certificate_serial_seq;
