-- Every catalogue layer lives in one table: the catalogue, not the schema, defines a layer's fields,
-- so adding a layer needs no migration. Geometries are EPSG:4326 (RFC 7946).
CREATE EXTENSION IF NOT EXISTS postgis;

CREATE TABLE features (
  layer       text        NOT NULL,
  fid         text        NOT NULL,
  properties  jsonb       NOT NULL DEFAULT '{}'::jsonb,
  geom        geometry(Geometry, 4326) NOT NULL,
  version     integer     NOT NULL DEFAULT 1,
  updated_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (layer, fid),
  CONSTRAINT features_geom_valid CHECK (ST_IsValid(geom))
);

CREATE INDEX features_geom_gix ON features USING gist (geom);
CREATE INDEX features_props_gin ON features USING gin (properties);
