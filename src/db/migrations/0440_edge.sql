-- Edge hardening (issue 9): a rate-limit store shared by every API process, an aggregated verification
-- log, and an audience for planning layers.

-- @fastify/rate-limit buckets (src/http/rate-limit.ts): one row per route and client address, the window
-- starting at its first hit. Kept in the database so that every process counts the same requests.
CREATE TABLE http_rate_limit (
  key           text PRIMARY KEY,
  window_start  timestamptz NOT NULL,
  hits          integer NOT NULL
);
CREATE INDEX http_rate_limit_window_idx ON http_rate_limit (window_start);

-- Public verifications, one row per certificate id (known or not), client address and Beijing day with a
-- count: a flood of lookups adds to a counter instead of a row per request.
ALTER TABLE certificate_verification_log
  ADD COLUMN client_address text NOT NULL DEFAULT '',
  ADD COLUMN day date,
  ADD COLUMN attempts integer NOT NULL DEFAULT 1,
  ADD COLUMN first_verified_at timestamptz;
UPDATE certificate_verification_log
   SET day = (verified_at AT TIME ZONE 'Asia/Shanghai')::date, first_verified_at = verified_at;
WITH groups AS (
  SELECT min(id) AS keep, count(*)::integer AS n, min(verified_at) AS first_at, max(verified_at) AS last_at,
         bool_or(found) AS any_found
    FROM certificate_verification_log
   GROUP BY certificate_id, client_address, day
)
UPDATE certificate_verification_log l
   SET attempts = g.n, first_verified_at = g.first_at, verified_at = g.last_at, found = g.any_found
  FROM groups g
 WHERE l.id = g.keep;
DELETE FROM certificate_verification_log l
 WHERE l.id NOT IN (
   SELECT min(id) FROM certificate_verification_log GROUP BY certificate_id, client_address, day
 );
ALTER TABLE certificate_verification_log
  ALTER COLUMN day SET NOT NULL,
  ALTER COLUMN first_verified_at SET NOT NULL,
  ADD CONSTRAINT certificate_verification_log_day_uq UNIQUE (certificate_id, client_address, day);

-- Who may see a layer's features: 'staff' (the default: control lines are working data) or 'public'
-- (what the city publishes, e.g. district boundaries), visible to every logged-in user.
ALTER TABLE blueprint_layer
  ADD COLUMN audience text NOT NULL DEFAULT 'staff' CHECK (audience IN ('staff', 'public'));
UPDATE blueprint_layer SET audience = 'public' WHERE kind = 'district_boundary';
