-- V0048 (issue 18 part 4, the decision log at trust volume): two per-school daily summaries of dns_decisions, kept by
-- DnsDecisionStore in the same transaction as the rows they count and purged with the log (DnsDecisionRetention).
-- One school's rows are scattered among every other school's in the day partitions, so the trends page (blocked per
-- group and category, 30 days) and the log's "name contains" search read a parallel scan of a month of partitions;
-- they now read dns_decision_days (a few dozen rows a school-day, with counts) and dns_decision_names (one row per
-- name a school asked for that day; a set, no count: see DnsDecisionName). "Day" is the school's day in UK time (Kernel.SchoolClock), as the trends window and the log's
-- From/To dates are; Profile and Category are '' where the decision named none (key columns cannot be null).
CREATE TABLE dns_decision_days (
    "SchoolId" character varying(64) NOT NULL,
    "Day" date NOT NULL,
    "Decision" character varying(24) NOT NULL,
    "Profile" character varying(64) NOT NULL,
    "Category" character varying(32) NOT NULL,
    "Count" bigint NOT NULL,
    CONSTRAINT "PK_dns_decision_days" PRIMARY KEY ("SchoolId", "Day", "Decision", "Profile", "Category")
);

CREATE TABLE dns_decision_names (
    "SchoolId" character varying(64) NOT NULL,
    "Day" date NOT NULL,
    "Name" character varying(1024) NOT NULL,
    CONSTRAINT "PK_dns_decision_names" PRIMARY KEY ("SchoolId", "Day", "Name")
);

-- The search then reads exactly the matching names' rows of one school, newest first. Built on every day partition
-- (the coming days' partitions inherit it); on a large log this takes minutes, once, during the upgrade.
CREATE INDEX "IX_dns_decisions_SchoolId_Name_At" ON dns_decisions ("SchoolId", "Name", "At");

-- The summaries of what is already logged. Decisions no school claimed are never shown per school, so not summarised.
INSERT INTO dns_decision_days ("SchoolId", "Day", "Decision", "Profile", "Category", "Count")
SELECT "SchoolId", ("At" AT TIME ZONE 'Europe/London')::date, "Decision", coalesce("Profile", ''), coalesce("Category", ''), count(*)
FROM dns_decisions
WHERE "SchoolId" IS NOT NULL
GROUP BY 1, 2, 3, 4, 5;

INSERT INTO dns_decision_names ("SchoolId", "Day", "Name")
SELECT "SchoolId", ("At" AT TIME ZONE 'Europe/London')::date, "Name"
FROM dns_decisions
WHERE "SchoolId" IS NOT NULL
GROUP BY 1, 2, 3;
