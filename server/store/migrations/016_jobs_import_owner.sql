-- Which server process runs an import (host, pid and a per-start id), so that a server starting
-- after a crash marks the imports that process left unfinished as failed instead of 'running' forever.
ALTER TABLE import_progress ADD COLUMN owner jsonb;
