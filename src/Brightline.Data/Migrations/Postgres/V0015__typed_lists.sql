-- V0015: the lists kept in a column become JSON arrays (issue 11). They held comma-separated text:
--   incidents."RuleIds"                  the rules an incident cites       'A3, C11' → '["A3","C11"]'
--   sanctions."Categories"               the categories a restriction blocks 'games,webmail' → '["games","webmail"]'
--   approval_requests."IncidentIds"      the incidents a C11 override recorded (GUIDs, as strings)
--   approval_requests."FilterOverrideIds" the overrides a class unblock added '12,13' → '[12,13]' (numbers)
-- Each value is split on commas, trimmed, empty items dropped, order kept; NULL and '' become '[]' (Brightline
-- now always writes a list). "RuleIds" and "Categories" widen to 2000 characters because the JSON form of a
-- list of words is longer than its comma-separated form (quotes around every item); the ID lists hold at most
-- a handful of IDs and keep their 500.
ALTER TABLE "incidents" ALTER COLUMN "RuleIds" TYPE character varying(2000);
ALTER TABLE "sanctions" ALTER COLUMN "Categories" TYPE character varying(2000);

UPDATE "incidents" SET "RuleIds" = coalesce(
    (SELECT array_to_json(array_agg(btrim(item) ORDER BY n))::text
     FROM unnest(string_to_array("RuleIds", ',')) WITH ORDINALITY AS t(item, n)
     WHERE btrim(item) <> ''),
    '[]');

UPDATE "sanctions" SET "Categories" = coalesce(
    (SELECT array_to_json(array_agg(btrim(item) ORDER BY n))::text
     FROM unnest(string_to_array("Categories", ',')) WITH ORDINALITY AS t(item, n)
     WHERE btrim(item) <> ''),
    '[]');

UPDATE "approval_requests" SET "IncidentIds" = coalesce(
    (SELECT array_to_json(array_agg(btrim(item) ORDER BY n))::text
     FROM unnest(string_to_array("IncidentIds", ',')) WITH ORDINALITY AS t(item, n)
     WHERE btrim(item) <> ''),
    '[]');

UPDATE "approval_requests" SET "FilterOverrideIds" = coalesce(
    (SELECT array_to_json(array_agg(btrim(item)::bigint ORDER BY n))::text
     FROM unnest(string_to_array("FilterOverrideIds", ',')) WITH ORDINALITY AS t(item, n)
     WHERE btrim(item) <> ''),
    '[]');
