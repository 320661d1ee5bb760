-- Issue 10 §8: API processes keep a short cache of resolved sessions. Whatever ends or changes a session
-- or its user (log-out, disabling, a role or department change, a password reset, a lifted restriction,
-- even a DBA's hand edit) tells every process at COMMIT through NOTIFY, so no process serves a stale
-- session. The idle-timer touch (last_seen_at only) is not announced: each process checks it itself.
CREATE FUNCTION zz_session_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'user_session' THEN
    PERFORM pg_notify('zz_session', 't:' || OLD.token_hash);
  ELSIF TG_TABLE_NAME = 'app_user' THEN
    PERFORM pg_notify('zz_session', 'u:' || OLD.id::text);
  ELSE
    PERFORM pg_notify('zz_session', 'e:' || OLD.id::text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER user_session_changed AFTER DELETE ON user_session
  FOR EACH ROW EXECUTE FUNCTION zz_session_changed();
CREATE TRIGGER user_session_restricted AFTER UPDATE ON user_session
  FOR EACH ROW WHEN (OLD.restriction IS DISTINCT FROM NEW.restriction
                     OR OLD.user_id IS DISTINCT FROM NEW.user_id
                     OR OLD.expires_at IS DISTINCT FROM NEW.expires_at
                     OR OLD.csrf_token IS DISTINCT FROM NEW.csrf_token)
  EXECUTE FUNCTION zz_session_changed();
CREATE TRIGGER app_user_session_changed AFTER UPDATE OR DELETE ON app_user
  FOR EACH ROW EXECUTE FUNCTION zz_session_changed();
CREATE TRIGGER enterprise_session_changed AFTER UPDATE OF name ON enterprise
  FOR EACH ROW EXECUTE FUNCTION zz_session_changed();
