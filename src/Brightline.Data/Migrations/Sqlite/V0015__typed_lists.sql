-- V0015: the lists kept in a column become JSON arrays (issue 11). They held comma-separated text:
--   incidents."RuleIds"                  the rules an incident cites       'A3, C11' → '["A3","C11"]'
--   sanctions."Categories"               the categories a restriction blocks 'games,webmail' → '["games","webmail"]'
--   approval_requests."IncidentIds"      the incidents a C11 override recorded (GUIDs, as strings)
--   approval_requests."FilterOverrideIds" the overrides a class unblock added '12,13' → '[12,13]' (numbers)
-- Each value is split on commas, trimmed, empty items dropped, order kept; NULL and '' become '[]' (Brightline
-- now always writes a list). Backslashes and double quotes are escaped before the text is read as a JSON array,
-- so no value can break out of its string. The columns stay TEXT NULL: SQLite cannot make a column NOT NULL
-- without rebuilding a table other tables refer to.
UPDATE "incidents" SET "RuleIds" = CASE
    WHEN "RuleIds" IS NULL OR trim("RuleIds") = '' THEN '[]'
    ELSE (SELECT json_group_array(trim(value)) FROM json_each(
        '["' || replace(replace(replace("RuleIds", '\', '\\'), '"', '\"'), ',', '","') || '"]') WHERE trim(value) <> '')
END;

UPDATE "sanctions" SET "Categories" = CASE
    WHEN "Categories" IS NULL OR trim("Categories") = '' THEN '[]'
    ELSE (SELECT json_group_array(trim(value)) FROM json_each(
        '["' || replace(replace(replace("Categories", '\', '\\'), '"', '\"'), ',', '","') || '"]') WHERE trim(value) <> '')
END;

UPDATE "approval_requests" SET "IncidentIds" = CASE
    WHEN "IncidentIds" IS NULL OR trim("IncidentIds") = '' THEN '[]'
    ELSE (SELECT json_group_array(trim(value)) FROM json_each(
        '["' || replace(replace(replace("IncidentIds", '\', '\\'), '"', '\"'), ',', '","') || '"]') WHERE trim(value) <> '')
END;

UPDATE "approval_requests" SET "FilterOverrideIds" = CASE
    WHEN "FilterOverrideIds" IS NULL OR trim("FilterOverrideIds") = '' THEN '[]'
    ELSE (SELECT json_group_array(CAST(trim(value) AS INTEGER)) FROM json_each(
        '["' || replace(replace(replace("FilterOverrideIds", '\', '\\'), '"', '\"'), ',', '","') || '"]') WHERE trim(value) <> '')
END;
