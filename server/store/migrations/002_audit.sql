-- Who changed what: one row per edit or import, written in the same transaction as the change, so a
-- rolled-back write leaves no row. before/after are whole features (all fields, geometry, version).
CREATE TABLE audit (
  id      bigserial   PRIMARY KEY,
  at      timestamptz NOT NULL DEFAULT now(),
  actor   text        NOT NULL,
  role    text,
  action  text        NOT NULL CHECK (action IN ('create', 'update', 'delete', 'import')),
  layer   text        NOT NULL,
  fid     text,
  before  jsonb,
  after   jsonb,
  detail  jsonb
);

CREATE INDEX audit_layer_fid_idx ON audit (layer, fid);
CREATE INDEX audit_at_idx ON audit (at);
