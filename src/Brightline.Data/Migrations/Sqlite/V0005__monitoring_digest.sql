-- V0005: monitoring (issue 4): the weekly digest record (C10) and permissions to inspect email content (H17).
CREATE TABLE "monitoring_content_permissions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_monitoring_content_permissions" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "PersonId" TEXT NOT NULL,
    "RequestedBy" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "RequestedAt" INTEGER NOT NULL,
    "Days" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "DecidedBy" TEXT NULL,
    "DecidedAt" INTEGER NULL,
    "DecisionNote" TEXT NULL,
    "ExpiresAt" INTEGER NULL,
    CONSTRAINT "FK_monitoring_content_permissions_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "monitoring_digests" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_monitoring_digests" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "PeriodStart" INTEGER NOT NULL,
    "PeriodEnd" INTEGER NOT NULL,
    "SentAt" INTEGER NOT NULL,
    "AlertCount" INTEGER NOT NULL,
    "RecipientCount" INTEGER NOT NULL,
    "Format" TEXT NOT NULL,
    CONSTRAINT "FK_monitoring_digests_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_monitoring_content_permissions_SchoolId_PersonId_RequestedBy_Status" ON "monitoring_content_permissions" ("SchoolId", "PersonId", "RequestedBy", "Status");
CREATE UNIQUE INDEX "IX_monitoring_digests_SchoolId_PeriodEnd" ON "monitoring_digests" ("SchoolId", "PeriodEnd");
