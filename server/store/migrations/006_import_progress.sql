-- Import progress lives in the database, so that behind a load balancer any app server answers
-- GET /api/imports/:importId for an import another one is running, and an importId is claimed once.
CREATE TABLE import_progress (
  import_id  text        PRIMARY KEY,
  progress   jsonb       NOT NULL,
  touched    timestamptz NOT NULL DEFAULT now()
);
