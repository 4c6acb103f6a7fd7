-- V0049 (issue 18 part 4, the decision log's insert rate): the (SchoolId, Name, At) index V0048 put on the partitioned
-- dns_decisions is taken off the insert path. Kept up to date row by row, its random-order text key made PostgreSQL
-- spend about 47 % more CPU per logged row, and a trust's DNS nodes fell below 50,000 rows a second. The log's
-- "name contains" search needs it only to read a rare name's rows on the days dns_decision_names lists, and a day's
-- rows stop changing once the day is over: so each day partition gets its own index, built in one sorted pass an hour
-- after its UTC day ends (DnsDecisionPartitions.IndexNamesAsync, in the hourly purge pass), named
-- dns_decisions_pYYYYMMDD_name. Today's rows are read through (SchoolId, At), as SQLite reads its one school's.
-- Dropping the partitioned index drops it from every partition; the days that have already ended get theirs back here
-- (on a large log this takes minutes, once, during the upgrade).
DROP INDEX "IX_dns_decisions_SchoolId_Name_At";

DO $$
DECLARE
    part text;
BEGIN
    FOR part IN
        SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
        WHERE i.inhparent = 'dns_decisions'::regclass AND c.relname ~ '^dns_decisions_p[0-9]{8}$'
          -- The day's end (the next midnight, UTC) at least an hour ago, the rule the hourly upkeep keeps.
          AND (to_date(substr(c.relname, 16), 'YYYYMMDD') + 1)::timestamp AT TIME ZONE 'UTC' <= now() - interval '1 hour'
        ORDER BY c.relname
    LOOP
        EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %I ("SchoolId", "Name", "At")', part || '_name', part);
    END LOOP;
END
$$;
