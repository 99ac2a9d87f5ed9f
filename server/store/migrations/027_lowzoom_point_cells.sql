-- A summary of every point feature per grid cell (issue 15), so a low-zoom tile and the layer
-- panel's count in view read a few hundred summary rows instead of every point they cover.
-- Cells are the tiles of WebMercatorQuad level `level` (OGC 17-083r4 Annex D.1): a cell of level
-- L is 1/8 of a tile at zoom L − 3, the grid cell of server/store/tiles.ts. Levels 4, 7, 10, 13
-- and 16 are kept; a reader takes the nearest finer one and merges 2^k × 2^k of its cells. The
-- summary is kept by statement-level triggers, in the same transaction as every write (import,
-- edit, delete, seeding, a bench's bulk insert), like layer_stats (migration 005).

-- The cell column / row of a longitude / latitude at a level: floor of its Web Mercator position
-- in [0, 1) times 2^level. Scaling by a power of two is exact, so a level-16 cell shifted right by
-- k bits is exactly the cell at level 16 − k.
CREATE FUNCTION cell_x(lon float8, level int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor((lon + 180) / 360 * (1 << level)), 0), (1 << level) - 1)::int
$$;
CREATE FUNCTION cell_y(lat float8, level int) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT least(greatest(floor((0.5 - ln((1 + sin(radians(least(greatest(lat, -85.0511287798066), 85.0511287798066))))
                                       / (1 - sin(radians(least(greatest(lat, -85.0511287798066), 85.0511287798066))))) / (4 * pi()))
                              * (1 << level)), 0), (1 << level) - 1)::int
$$;

CREATE TABLE point_cells (
  layer    text     NOT NULL,
  level    smallint NOT NULL,
  cx       integer  NOT NULL,
  cy       integer  NOT NULL,
  n        integer  NOT NULL,
  -- Sums of the points' longitudes and latitudes: a cell's mean position is sum / n.
  sum_lon  float8   NOT NULL,
  sum_lat  float8   NOT NULL,
  PRIMARY KEY (layer, level, cx, cy)
);

-- The kept levels; a reader takes the nearest finer one.
CREATE VIEW point_cell_levels (level) AS VALUES (4), (7), (10), (13), (16);

-- Each trigger adds (insert), removes (delete) or both (update) the points of the rows it sees at
-- every kept level; a cell left with no point is removed (by key: never a scan of the layer's
-- cells); an edit that moves no point changes nothing.
CREATE FUNCTION point_cells_drop(g_layer text[], g_level smallint[], g_cx int[], g_cy int[]) RETURNS void LANGUAGE sql AS $$
  DELETE FROM point_cells c USING unnest(g_layer, g_level, g_cx, g_cy) AS g(layer, level, cx, cy)
   WHERE c.layer = g.layer AND c.level = g.level AND c.cx = g.cx AND c.cy = g.cy AND c.n <= 0
$$;

CREATE FUNCTION point_cells_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO point_cells AS c (layer, level, cx, cy, n, sum_lon, sum_lat)
    SELECT p.layer, l.level, p.cx >> (16 - l.level), p.cy >> (16 - l.level), count(*), sum(p.lon), sum(p.lat)
      FROM (SELECT layer, lon, lat, cell_x(lon, 16) AS cx, cell_y(lat, 16) AS cy
              FROM (SELECT layer, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM new_rows
                     WHERE GeometryType(geom) = 'POINT' AND NOT ST_IsEmpty(geom)) r) p
      CROSS JOIN point_cell_levels l
     GROUP BY 1, 2, 3, 4
  ON CONFLICT (layer, level, cx, cy) DO UPDATE
    SET n = c.n + EXCLUDED.n, sum_lon = c.sum_lon + EXCLUDED.sum_lon, sum_lat = c.sum_lat + EXCLUDED.sum_lat;
  RETURN NULL;
END $$;

CREATE FUNCTION point_cells_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  g_layer text[]; g_level smallint[]; g_cx int[]; g_cy int[];
BEGIN
  WITH u AS (
  UPDATE point_cells c SET n = c.n - d.n, sum_lon = c.sum_lon - d.sum_lon, sum_lat = c.sum_lat - d.sum_lat
    FROM (SELECT p.layer, l.level, p.cx >> (16 - l.level) AS cx, p.cy >> (16 - l.level) AS cy, count(*) AS n, sum(p.lon) AS sum_lon, sum(p.lat) AS sum_lat
            FROM (SELECT layer, lon, lat, cell_x(lon, 16) AS cx, cell_y(lat, 16) AS cy
                    FROM (SELECT layer, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM old_rows
                           WHERE GeometryType(geom) = 'POINT' AND NOT ST_IsEmpty(geom)) r) p
            CROSS JOIN point_cell_levels l
           GROUP BY 1, 2, 3, 4) d
   WHERE c.layer = d.layer AND c.level = d.level AND c.cx = d.cx AND c.cy = d.cy
   RETURNING c.layer, c.level, c.cx, c.cy, c.n)
  SELECT array_agg(layer), array_agg(level), array_agg(cx), array_agg(cy) INTO g_layer, g_level, g_cx, g_cy FROM u WHERE n <= 0;
  PERFORM point_cells_drop(g_layer, g_level, g_cx, g_cy);
  RETURN NULL;
END $$;

CREATE FUNCTION point_cells_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  g_layer text[]; g_level smallint[]; g_cx int[]; g_cy int[];
BEGIN
  WITH u AS (
  INSERT INTO point_cells AS c (layer, level, cx, cy, n, sum_lon, sum_lat)
    SELECT p.layer, l.level, p.cx >> (16 - l.level), p.cy >> (16 - l.level), sum(p.sign), sum(p.sign * p.lon), sum(p.sign * p.lat)
      FROM (SELECT layer, sign, lon, lat, cell_x(lon, 16) AS cx, cell_y(lat, 16) AS cy
              FROM (SELECT layer, 1 AS sign, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM new_rows
                     WHERE GeometryType(geom) = 'POINT' AND NOT ST_IsEmpty(geom)
                    UNION ALL
                    SELECT layer, -1, ST_X(geom), ST_Y(geom) FROM old_rows
                     WHERE GeometryType(geom) = 'POINT' AND NOT ST_IsEmpty(geom)) r) p
      CROSS JOIN point_cell_levels l
     GROUP BY 1, 2, 3, 4
    HAVING sum(p.sign) <> 0 OR sum(p.sign * p.lon) <> 0 OR sum(p.sign * p.lat) <> 0
  ON CONFLICT (layer, level, cx, cy) DO UPDATE
    SET n = c.n + EXCLUDED.n, sum_lon = c.sum_lon + EXCLUDED.sum_lon, sum_lat = c.sum_lat + EXCLUDED.sum_lat
  RETURNING c.layer, c.level, c.cx, c.cy, c.n)
  SELECT array_agg(layer), array_agg(level), array_agg(cx), array_agg(cy) INTO g_layer, g_level, g_cx, g_cy FROM u WHERE n <= 0;
  PERFORM point_cells_drop(g_layer, g_level, g_cx, g_cy);
  RETURN NULL;
END $$;

CREATE FUNCTION point_cells_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM point_cells;
  RETURN NULL;
END $$;

CREATE TRIGGER features_cells_insert AFTER INSERT ON features REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION point_cells_inserted();
CREATE TRIGGER features_cells_delete AFTER DELETE ON features REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION point_cells_deleted();
CREATE TRIGGER features_cells_update AFTER UPDATE ON features REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION point_cells_updated();
CREATE TRIGGER features_cells_truncate AFTER TRUNCATE ON features
  FOR EACH STATEMENT EXECUTE FUNCTION point_cells_truncated();

INSERT INTO point_cells (layer, level, cx, cy, n, sum_lon, sum_lat)
  SELECT p.layer, l.level, p.cx >> (16 - l.level), p.cy >> (16 - l.level), count(*), sum(p.lon), sum(p.lat)
    FROM (SELECT layer, lon, lat, cell_x(lon, 16) AS cx, cell_y(lat, 16) AS cy
            FROM (SELECT layer, ST_X(geom) AS lon, ST_Y(geom) AS lat FROM features
                   WHERE GeometryType(geom) = 'POINT' AND NOT ST_IsEmpty(geom)) r) p
    CROSS JOIN point_cell_levels l
   GROUP BY 1, 2, 3, 4;
