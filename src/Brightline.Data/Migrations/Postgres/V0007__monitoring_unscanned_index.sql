-- V0007: monitoring ingestion (issue 4): scoring moved out of the request into a background worker that
-- repeatedly asks for the next unscored events in ID order. A partial index holding only those events
-- replaces the index on "ScannedAt", which led PostgreSQL to walk the primary key past every scored row.
DROP INDEX "IX_monitoring_events_ScannedAt";

CREATE INDEX "IX_monitoring_events_Unscanned" ON monitoring_events ("Id") WHERE "ScannedAt" IS NULL;
