-- V0045 (issue 18 part 4): on PostgreSQL dns_decisions becomes partitioned by day. SQLite has no partitions; its
-- decision log keeps its table and is purged in bounded batches (DnsDecisionRetention). Nothing changes here; the
-- script exists so both providers have the same versions.
SELECT 1;
