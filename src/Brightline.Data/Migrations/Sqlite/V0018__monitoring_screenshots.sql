-- V0018: screenshots of the tab where a critical event happened (issue 12, point 4), linked to the event and to
-- its alert, purged after the policy's retention (O9: 45 days).
CREATE TABLE "monitoring_screenshots" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_monitoring_screenshots" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "DeviceId" TEXT NOT NULL,
    "EventId" INTEGER NOT NULL,
    "AlertId" INTEGER NULL,
    "CreatedAt" INTEGER NOT NULL,
    "RequestedAt" INTEGER NULL,
    "ContentType" TEXT NULL,
    "Image" BLOB NULL,
    "CapturedAt" INTEGER NULL,
    "ReceivedAt" INTEGER NULL,
    CONSTRAINT "FK_monitoring_screenshots_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_monitoring_screenshots_monitoring_events_EventId" FOREIGN KEY ("EventId") REFERENCES "monitoring_events" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_monitoring_screenshots_EventId" ON "monitoring_screenshots" ("EventId");

CREATE INDEX "IX_monitoring_screenshots_SchoolId_AlertId" ON "monitoring_screenshots" ("SchoolId", "AlertId");

CREATE INDEX "IX_monitoring_screenshots_CreatedAt" ON "monitoring_screenshots" ("CreatedAt");
