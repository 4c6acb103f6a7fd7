-- V0042 (issue 16 part 4): a school's own monitoring exceptions — a context phrase proposed from a false-positive alert,
-- reviewed by a second safeguarding lead, applied to that school's scans only while approved.
CREATE TABLE "monitoring_exceptions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_monitoring_exceptions" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "Phrase" TEXT NOT NULL,
    "Category" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "SourceAlertId" INTEGER NULL,
    "MatchedPhrase" TEXT NOT NULL,
    "SilencedAtProposal" INTEGER NOT NULL,
    "ProposedBy" TEXT NOT NULL,
    "ProposedAt" INTEGER NOT NULL,
    "ReviewedBy" TEXT NULL,
    "ReviewedAt" INTEGER NULL,
    "ReviewNote" TEXT NULL,
    "WithdrawnBy" TEXT NULL,
    "WithdrawnAt" INTEGER NULL,
    "WithdrawNote" TEXT NULL,
    CONSTRAINT "FK_monitoring_exceptions_monitoring_alerts_SourceAlertId" FOREIGN KEY ("SourceAlertId") REFERENCES "monitoring_alerts" ("Id") ON DELETE SET NULL,
    CONSTRAINT "FK_monitoring_exceptions_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);
CREATE INDEX "IX_monitoring_exceptions_SchoolId_State" ON "monitoring_exceptions" ("SchoolId", "State");
CREATE INDEX "IX_monitoring_exceptions_SourceAlertId" ON "monitoring_exceptions" ("SourceAlertId");
