-- The GIN index over every feature's whole properties served no query (they filter with
-- `properties ->> 'field' = …` and `(properties -> 'field') ?| …`, which it cannot answer) and
-- was the costliest index to keep up: a third of an import's insert time (bench/import.bench.ts).
DROP INDEX IF EXISTS features_props_gin;
