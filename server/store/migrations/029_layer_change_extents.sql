-- Where each write landed (issue 15). A layer's version (layer_stats.changes, migration 005) moves
-- with every statement that writes it, so a cached tile or feature page keyed by it went stale on
-- any write to its layer: an import into one county sent every other county's cached answers back
-- to the store, right after its commit and behind the next write. Each writing statement now also
-- NOTIFYs `onemap_layer_changes` with, per layer, the version it made and the extent of the rows
-- it touched (old and new geometries): a JSON array of {"layer", "version", "box": [xmin, ymin,
-- xmax, ymax] or null when unknown}. A cached answer for a box no change's extent meets is still
-- the current answer (server/store/layer-watch.ts). `onemap_layers` keeps its payload (the layer
-- ids), so a server of the previous release on the same database still drops its caches.
CREATE FUNCTION layer_stats_record(changed jsonb) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  notes jsonb;
BEGIN
  -- changed: {layer: [count delta, xmin, ymin, xmax, ymax]}, the box's members null when unknown.
  WITH up AS (
    INSERT INTO layer_stats AS s (layer, n, changes, changed_at)
      SELECT key, (value->>0)::int, 1, now() FROM jsonb_each(changed)
    ON CONFLICT (layer) DO UPDATE SET n = s.n + EXCLUDED.n, changes = s.changes + 1, changed_at = now()
    RETURNING s.layer, s.changes)
  SELECT jsonb_agg(jsonb_build_object(
           'layer', up.layer, 'version', up.changes,
           'box', CASE WHEN jsonb_typeof(changed->up.layer->1) = 'number' THEN (changed->up.layer) - 0 END))
    INTO notes FROM up;
  -- Where first, then what: a server that hears of the new version knows its extent already.
  PERFORM pg_notify('onemap_layer_changes', notes::text);
  PERFORM pg_notify('onemap_layers', (SELECT string_agg(key, ',') FROM jsonb_object_keys(changed) AS key));
END $$;

CREATE OR REPLACE FUNCTION layer_stats_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM layer_stats_record(d) FROM (
    SELECT jsonb_object_agg(layer, jsonb_build_array(n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e))) AS d
      FROM (SELECT layer, count(*) AS n, ST_Extent(geom) AS e FROM new_rows GROUP BY layer) c
  ) x WHERE d IS NOT NULL;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION layer_stats_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM layer_stats_record(d) FROM (
    SELECT jsonb_object_agg(layer, jsonb_build_array(-n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e))) AS d
      FROM (SELECT layer, count(*) AS n, ST_Extent(geom) AS e FROM old_rows GROUP BY layer) c
  ) x WHERE d IS NOT NULL;
  RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION layer_stats_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- A row may move between layers: the old layer loses it, the new one gains it, both change,
  -- each over the extent of its rows before and after.
  PERFORM layer_stats_record(d) FROM (
    SELECT jsonb_object_agg(layer, jsonb_build_array(n, ST_XMin(e), ST_YMin(e), ST_XMax(e), ST_YMax(e))) AS d
      FROM (SELECT layer, sum(n) AS n, ST_Extent(geom) AS e FROM (
              SELECT layer, 1 AS n, geom FROM new_rows UNION ALL SELECT layer, -1, geom FROM old_rows
            ) u GROUP BY layer) c
  ) x WHERE d IS NOT NULL;
  RETURN NULL;
END $$;

DROP FUNCTION layer_stats_add(jsonb);
