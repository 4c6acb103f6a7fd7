-- V0050 (issue 18 parts 4 and 5): every logged decision is written into the log's table and each of its indexes, so an
-- index nobody reads costs the DNS filter and the database on every query.
-- (ClientAddress, At): the log page's device filter is "address starts with", a LIKE, which a b-tree of the default
-- operator class can answer only under the C collation; a school's search reads (SchoolId, At) either way. Dropped
-- (on the partitioned table, so from every day's partition; dropping costs no rebuild).
-- (PersonId, At) stays whole here, unlike SQLite's: making it partial would rebuild a trust's month of partitions at
-- start-up.
DROP INDEX "IX_dns_decisions_ClientAddress_At";
