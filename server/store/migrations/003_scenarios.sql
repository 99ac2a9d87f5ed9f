-- Saved siting scenarios: the request that produced them, the answer shown when saved, and the
-- sites as the planner left them (moved, removed, added), so a plan can be reopened and compared.
CREATE TABLE scenarios (
  id             text        PRIMARY KEY,
  name           text        NOT NULL,
  county         text        NOT NULL,
  model          text        NOT NULL,
  facility_layer text        NOT NULL,
  request        jsonb       NOT NULL,
  result         jsonb       NOT NULL,
  sites          jsonb       NOT NULL,
  created_by     text        NOT NULL,
  created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX scenarios_county_idx ON scenarios (county, created_at);
