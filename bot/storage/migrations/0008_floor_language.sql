-- The floor language of each request: one of the six UN languages, shown to the chair, on the
-- interpreters' booth view and in the report. Requests made before this column read as NULL
-- (not known).
ALTER TABLE floor_requests ADD COLUMN language TEXT
    CHECK (language IS NULL OR language IN ('en', 'fr', 'es', 'ar', 'zh', 'ru'));
