-- V0009: the incident registers (issue 5, section 1): what the timeline says about seriousness, outcome and the
-- data-breach clock (O6, F4), lost devices (F7), restricted entries, linked evidence and attached files.
-- Nothing here is updated in place by the portal except the summary columns on "incidents"; the timeline stays append-only.
ALTER TABLE "incidents" ADD COLUMN "Serious" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "incidents" ADD COLUMN "Outcome" TEXT NULL;
ALTER TABLE "incidents" ADD COLUMN "ClosedAt" INTEGER NULL;
ALTER TABLE "incidents" ADD COLUMN "DiscoveredAt" INTEGER NULL;
ALTER TABLE "incidents" ADD COLUMN "DecisionDueAt" INTEGER NULL;
ALTER TABLE "incidents" ADD COLUMN "DecisionAt" INTEGER NULL;
ALTER TABLE "incidents" ADD COLUMN "ChasesSent" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "incidents" ADD COLUMN "DeviceDescription" TEXT NULL;

ALTER TABLE "incident_entries" ADD COLUMN "Kind" TEXT NOT NULL DEFAULT 'note';
ALTER TABLE "incident_entries" ADD COLUMN "Restricted" INTEGER NOT NULL DEFAULT 0;

CREATE TABLE "incident_links" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_incident_links" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "IncidentId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "TargetId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "LinkedBy" TEXT NOT NULL,
    CONSTRAINT "FK_incident_links_incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "incidents" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "incident_attachments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_incident_attachments" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "IncidentId" TEXT NOT NULL,
    "FileName" TEXT NOT NULL,
    "ContentType" TEXT NOT NULL,
    "Size" INTEGER NOT NULL,
    "Sha256" TEXT NOT NULL,
    "Content" BLOB NOT NULL,
    "At" INTEGER NOT NULL,
    "AddedBy" TEXT NOT NULL,
    "Restricted" INTEGER NOT NULL,
    CONSTRAINT "FK_incident_attachments_incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "incidents" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_incidents_DecisionDueAt" ON "incidents" ("DecisionDueAt");

CREATE INDEX "IX_incidents_SchoolId_Kind_CreatedAt" ON "incidents" ("SchoolId", "Kind", "CreatedAt");

CREATE UNIQUE INDEX "IX_incident_links_IncidentId_Kind_TargetId" ON "incident_links" ("IncidentId", "Kind", "TargetId");

CREATE INDEX "IX_incident_links_SchoolId_Kind_TargetId" ON "incident_links" ("SchoolId", "Kind", "TargetId");

CREATE INDEX "IX_incident_attachments_IncidentId" ON "incident_attachments" ("IncidentId");
