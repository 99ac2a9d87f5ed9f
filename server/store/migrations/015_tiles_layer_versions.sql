-- A version per layer, bumped by every statement that adds, changes or deletes its features (issue
-- 15): the tile cache and the tiles' ETags key on it, so one primary-key read says whether a
-- cached tile is current — whatever wrote (an edit, an import, a seed, another app server).
-- Statement-level triggers with transition tables: one bump per layer per statement, not per row.
CREATE TABLE layer_versions (
  layer   text   PRIMARY KEY,
  version bigint NOT NULL DEFAULT 0
);

CREATE FUNCTION layer_versions_bump_new() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO layer_versions AS v (layer, version)
  SELECT DISTINCT layer, 1 FROM new_rows
  ON CONFLICT (layer) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END $$;

CREATE FUNCTION layer_versions_bump_old() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO layer_versions AS v (layer, version)
  SELECT DISTINCT layer, 1 FROM old_rows
  ON CONFLICT (layer) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END $$;

-- An update may move a feature to another layer: both the old and the new layer change.
CREATE FUNCTION layer_versions_bump_both() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO layer_versions AS v (layer, version)
  SELECT layer, 1 FROM (SELECT layer FROM new_rows UNION SELECT layer FROM old_rows) changed
  ON CONFLICT (layer) DO UPDATE SET version = v.version + 1;
  RETURN NULL;
END $$;

CREATE FUNCTION layer_versions_bump_all() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE layer_versions SET version = version + 1;
  RETURN NULL;
END $$;

CREATE TRIGGER features_version_insert AFTER INSERT ON features
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION layer_versions_bump_new();
CREATE TRIGGER features_version_update AFTER UPDATE ON features
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION layer_versions_bump_both();
CREATE TRIGGER features_version_delete AFTER DELETE ON features
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION layer_versions_bump_old();
CREATE TRIGGER features_version_truncate AFTER TRUNCATE ON features
  FOR EACH STATEMENT EXECUTE FUNCTION layer_versions_bump_all();

INSERT INTO layer_versions (layer, version) SELECT DISTINCT layer, 1 FROM features;
