-- The personal space cannot be deleted on its own: only together with its owner (ON DELETE CASCADE
-- runs after the owner row is gone, so the owner no longer exists when this fires).
CREATE OR REPLACE FUNCTION protect_personal_space() RETURNS trigger AS $$
BEGIN
  IF OLD.type = 'personal' AND EXISTS (SELECT 1 FROM users WHERE id = OLD.owner_id) THEN
    RAISE EXCEPTION 'the personal space % cannot be deleted', OLD.id USING ERRCODE = 'P0001';
  END IF;
  RETURN OLD;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER spaces_protect_personal BEFORE DELETE ON spaces
  FOR EACH ROW EXECUTE FUNCTION protect_personal_space();
