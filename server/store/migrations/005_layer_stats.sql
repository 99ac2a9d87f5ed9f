-- Kept counts: each layer's row count and a change counter, maintained by statement-level triggers,
-- so /api/layers no longer counts every row on every call and a cache stamp is one indexed read.
-- `changes` rises with every statement that writes the layer (an edit that keeps the count moves it
-- too); every writing statement also NOTIFYs `onemap_layers` with the layers it touched, so other
-- app servers on the same database drop their caches at once rather than at their next check.
CREATE TABLE layer_stats (
  layer       text        PRIMARY KEY,
  n           integer     NOT NULL DEFAULT 0,
  changes     bigint      NOT NULL DEFAULT 0,
  changed_at  timestamptz NOT NULL DEFAULT now()
);

INSERT INTO layer_stats (layer, n, changes, changed_at)
  SELECT layer, count(*), 1, max(updated_at) FROM features GROUP BY layer;

CREATE FUNCTION layer_stats_add(delta jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO layer_stats AS s (layer, n, changes, changed_at)
    SELECT key, value::int, 1, now() FROM jsonb_each_text(delta)
  ON CONFLICT (layer) DO UPDATE SET n = s.n + EXCLUDED.n, changes = s.changes + 1, changed_at = now();
  PERFORM pg_notify('onemap_layers', (SELECT string_agg(key, ',') FROM jsonb_object_keys(delta) AS key));
END $$;

CREATE FUNCTION layer_stats_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM layer_stats_add(d) FROM (SELECT jsonb_object_agg(layer, n) AS d FROM (SELECT layer, count(*) AS n FROM new_rows GROUP BY layer) c) x WHERE d IS NOT NULL;
  RETURN NULL;
END $$;

CREATE FUNCTION layer_stats_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM layer_stats_add(d) FROM (SELECT jsonb_object_agg(layer, -n) AS d FROM (SELECT layer, count(*) AS n FROM old_rows GROUP BY layer) c) x WHERE d IS NOT NULL;
  RETURN NULL;
END $$;

CREATE FUNCTION layer_stats_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A row may move between layers: the old layer loses it, the new one gains it, both change.
  PERFORM layer_stats_add(d) FROM (
    SELECT jsonb_object_agg(layer, n) AS d FROM (
      SELECT layer, sum(n) AS n FROM (
        SELECT layer, 1 AS n FROM new_rows UNION ALL SELECT layer, -1 FROM old_rows
      ) u GROUP BY layer
    ) c
  ) x WHERE d IS NOT NULL;
  RETURN NULL;
END $$;

CREATE FUNCTION layer_stats_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE layer_stats SET n = 0, changes = changes + 1, changed_at = now();
  PERFORM pg_notify('onemap_layers', (SELECT string_agg(layer, ',') FROM layer_stats));
  RETURN NULL;
END $$;

CREATE TRIGGER features_stats_insert AFTER INSERT ON features REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION layer_stats_inserted();
CREATE TRIGGER features_stats_delete AFTER DELETE ON features REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION layer_stats_deleted();
CREATE TRIGGER features_stats_update AFTER UPDATE ON features REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION layer_stats_updated();
CREATE TRIGGER features_stats_truncate AFTER TRUNCATE ON features
  FOR EACH STATEMENT EXECUTE FUNCTION layer_stats_truncated();

-- The features of one layer in a box: a composite GiST index serves `layer = $1 AND geom && box`
-- together (one index scan instead of a bbox scan over every layer's rows, issue 15).
CREATE EXTENSION IF NOT EXISTS btree_gist;
CREATE INDEX features_layer_geom_gix ON features USING gist (layer, geom);
