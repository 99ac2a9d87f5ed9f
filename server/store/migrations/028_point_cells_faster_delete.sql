-- Deleting points paid for the cell summary (migration 027): 100,000 points of one layer took
-- 2.3–7.3 s against 0.1–0.2 s without it (bench/cell-summary.bench.ts). The trigger aggregated the
-- deleted points at five levels in a 500,000-row sort that spilled to disk, then updated every one
-- of the layer's cells, then removed the emptied ones again. Now a layer the statement left with no
-- feature (a `replace` import's delete, a layer cleared) drops its cells by key range and only the
-- rows of other layers are aggregated; a cell that loses all its points is deleted rather than
-- updated first; and the summary's aggregations get the memory to hash in (work_mem for these
-- three functions only: the default 4 MB sorts on disk above ≈ 50,000 points).
CREATE OR REPLACE FUNCTION point_cells_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  emptied text[];
BEGIN
  SELECT coalesce(array_agg(o.layer), '{}') INTO emptied FROM (SELECT DISTINCT layer FROM old_rows) o
   WHERE NOT EXISTS (SELECT 1 FROM features f WHERE f.layer = o.layer);
  DELETE FROM point_cells WHERE layer = ANY (emptied);
  -- A cell that loses all its points is deleted, any other updated: each cell is written once.
  WITH d AS MATERIALIZED (
    SELECT p.layer, l.level, p.cx >> (16 - l.level) AS cx, p.cy >> (16 - l.level) AS cy, count(*) AS n, sum(p.lon) AS sum_lon, sum(p.lat) AS sum_lat
      FROM (SELECT layer, lon, lat, cell_x(lon, 16) AS cx, cell_y(lat, 16) AS cy
              FROM (SELECT layer, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM old_rows
                     WHERE layer <> ALL (emptied) AND GeometryType(geom) = 'POINT' AND NOT ST_IsEmpty(geom)) r) p
      CROSS JOIN point_cell_levels l
     GROUP BY 1, 2, 3, 4),
  gone AS (
    DELETE FROM point_cells c USING d
     WHERE c.layer = d.layer AND c.level = d.level AND c.cx = d.cx AND c.cy = d.cy AND c.n <= d.n)
  UPDATE point_cells c SET n = c.n - d.n, sum_lon = c.sum_lon - d.sum_lon, sum_lat = c.sum_lat - d.sum_lat
    FROM d
   WHERE c.layer = d.layer AND c.level = d.level AND c.cx = d.cx AND c.cy = d.cy AND c.n > d.n;
  RETURN NULL;
END $$;

ALTER FUNCTION point_cells_deleted() SET work_mem = '32MB';
ALTER FUNCTION point_cells_inserted() SET work_mem = '32MB';
ALTER FUNCTION point_cells_updated() SET work_mem = '32MB';
