-- V0048 (issue 18 part 4, the decision log at trust volume): two per-school daily summaries of dns_decisions, kept by
-- DnsDecisionStore in the same transaction as the rows they count and purged with the log (DnsDecisionRetention).
-- The trends page counts dns_decision_days instead of a month of the log, and the log's "name contains" search
-- matches names in dns_decision_names before it reads the log. "Day" is the school's day in UK time
-- (Kernel.SchoolClock); Profile and Category are '' where the decision named none (key columns cannot be null).
CREATE TABLE "dns_decision_days" (
    "SchoolId" TEXT NOT NULL,
    "Day" TEXT NOT NULL,
    "Decision" TEXT NOT NULL,
    "Profile" TEXT NOT NULL,
    "Category" TEXT NOT NULL,
    "Count" INTEGER NOT NULL,
    CONSTRAINT "PK_dns_decision_days" PRIMARY KEY ("SchoolId", "Day", "Decision", "Profile", "Category")
);

CREATE TABLE "dns_decision_names" (
    "SchoolId" TEXT NOT NULL,
    "Day" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    CONSTRAINT "PK_dns_decision_names" PRIMARY KEY ("SchoolId", "Day", "Name")
);

-- No (SchoolId, Name, At) index here, unlike PostgreSQL: a SQLite installation is one school on one machine, whose
-- name search reads the matching days through (SchoolId, At), and the index's random-order text key made every logged
-- row cost the DNS process a further ~10 µs (issue 18 part 5, docs/benchmarks.md "DNS CPU per query").

-- The summaries of what is already logged. "At" is stored by EF's DateTimeOffsetToBinaryConverter, (ticks / 1000) << 11
-- for a UTC time, so ((At >> 11) * 1000 - 621355968000000000) / 10000000 is the Unix time. SQLite knows no time zones:
-- the UK day is the UTC day, plus one hour in British Summer Time (from 01:00 UTC on the last Sunday of March to
-- 01:00 UTC on the last Sunday of October), as Europe/London has been since 1996.
WITH utc AS (
    SELECT "SchoolId", "Name", "Decision", "Profile", "Category",
           datetime(((("At" >> 11) * 1000) - 621355968000000000) / 10000000, 'unixepoch') AS "T"
    FROM "dns_decisions"
    WHERE "SchoolId" IS NOT NULL
),
uk AS (
    SELECT "SchoolId", "Name", "Decision", "Profile", "Category",
           date(CASE WHEN "T" >= date(strftime('%Y', "T") || '-03-31', '-6 days', 'weekday 0') || ' 01:00:00'
                      AND "T" < date(strftime('%Y', "T") || '-10-31', '-6 days', 'weekday 0') || ' 01:00:00'
                     THEN datetime("T", '+1 hour') ELSE "T" END) AS "Day"
    FROM utc
)
INSERT INTO "dns_decision_days" ("SchoolId", "Day", "Decision", "Profile", "Category", "Count")
SELECT "SchoolId", "Day", "Decision", coalesce("Profile", ''), coalesce("Category", ''), count(*)
FROM uk
GROUP BY 1, 2, 3, 4, 5;

WITH utc AS (
    SELECT "SchoolId", "Name",
           datetime(((("At" >> 11) * 1000) - 621355968000000000) / 10000000, 'unixepoch') AS "T"
    FROM "dns_decisions"
    WHERE "SchoolId" IS NOT NULL
),
uk AS (
    SELECT "SchoolId", "Name",
           date(CASE WHEN "T" >= date(strftime('%Y', "T") || '-03-31', '-6 days', 'weekday 0') || ' 01:00:00'
                      AND "T" < date(strftime('%Y', "T") || '-10-31', '-6 days', 'weekday 0') || ' 01:00:00'
                     THEN datetime("T", '+1 hour') ELSE "T" END) AS "Day"
    FROM utc
)
INSERT INTO "dns_decision_names" ("SchoolId", "Day", "Name")
SELECT "SchoolId", "Day", "Name"
FROM uk
GROUP BY 1, 2, 3;
