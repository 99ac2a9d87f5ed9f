-- Incidents the commander places (issue 12): where (WGS84; `crs` is what was typed), what, how many
-- people, the affected area and road closures as JSON, open or closed. `version` is bumped by every
-- change (optimistic concurrency, as features.version); each create/change/close has an audit row
-- (layer 'incidents') written in the same transaction.
CREATE TABLE incidents (
  id               text        PRIMARY KEY,
  title            text        NOT NULL,
  hazard           text        NOT NULL CHECK (hazard IN ('earthquake', 'flood', 'geohazard', 'fire', 'hazmat', 'other')),
  geom             geometry(Point, 4326) NOT NULL,
  crs              text        NOT NULL CHECK (crs IN ('wgs84', 'gcj02', 'bd09')),
  county           text,
  occurred_at      timestamptz NOT NULL,
  affected_persons integer     CHECK (affected_persons >= 0),
  area             jsonb,
  closures         jsonb,
  notes            text,
  status           text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_by       text        NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  closed_at        timestamptz,
  version          integer     NOT NULL DEFAULT 1
);

CREATE INDEX incidents_status_idx ON incidents (status, occurred_at DESC);
