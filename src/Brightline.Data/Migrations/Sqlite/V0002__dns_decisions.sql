-- V0002: the DNS filter's decision log (issue 3).
CREATE TABLE "dns_decisions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_dns_decisions" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NULL,
    "At" INTEGER NOT NULL,
    "ClientAddress" TEXT NOT NULL,
    "PersonId" TEXT NULL,
    "Name" TEXT NOT NULL,
    "QueryType" TEXT NOT NULL,
    "Decision" TEXT NOT NULL,
    "Category" TEXT NULL,
    "Profile" TEXT NULL,
    "Reason" TEXT NULL
);

CREATE INDEX "IX_dns_decisions_ClientAddress_At" ON "dns_decisions" ("ClientAddress", "At");
CREATE INDEX "IX_dns_decisions_PersonId_At" ON "dns_decisions" ("PersonId", "At");
CREATE INDEX "IX_dns_decisions_SchoolId_At" ON "dns_decisions" ("SchoolId", "At");
