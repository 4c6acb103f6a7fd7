-- V0050 (issue 18 part 5, DNS efficiency): every decision the DNS filter logs is written into the log's table and each
-- of its indexes, so an index nobody reads costs the DNS process CPU on every query.
-- (ClientAddress, At): the log page's device filter is "address starts with", a LIKE, which SQLite cannot answer from
-- an index on a column of the default (case-sensitive) collation while LIKE is case-insensitive; EXPLAIN QUERY PLAN
-- shows the search reads (SchoolId, At) with or without it. Dropped.
-- (PersonId, At): the person filter asks for named people only, and most decisions name nobody (a device on a
-- network, not a signed-in person), so the index now holds only the rows that name someone.
DROP INDEX "IX_dns_decisions_ClientAddress_At";
DROP INDEX "IX_dns_decisions_PersonId_At";
CREATE INDEX "IX_dns_decisions_PersonId_At" ON "dns_decisions" ("PersonId", "At") WHERE "PersonId" IS NOT NULL;
