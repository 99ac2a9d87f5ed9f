-- How the road network's lines join (core/network/graph.ts, Connectivity), per county; county '*'
-- is the rule for roads without a county code. Set by a road import (connectivity=…) or in settings.
CREATE TABLE road_connectivity (
  county       text        PRIMARY KEY,
  connectivity text        NOT NULL CHECK (connectivity IN ('endpoints', 'vertices', 'osm')),
  updated_at   timestamptz NOT NULL DEFAULT now()
);
