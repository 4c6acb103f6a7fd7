-- V0004: safeguarding monitoring (issue 4): devices, events, alerts and the alert timeline.
CREATE TABLE "monitoring_devices" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_monitoring_devices" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "TokenPrefix" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "RevokedAt" INTEGER NULL,
    "RevokedBy" TEXT NULL,
    "LastSeenAt" INTEGER NULL,
    CONSTRAINT "FK_monitoring_devices_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "monitoring_events" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_monitoring_events" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "DeviceId" TEXT NOT NULL,
    "ClientEventId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "OccurredAt" INTEGER NOT NULL,
    "ReceivedAt" INTEGER NOT NULL,
    "PersonId" TEXT NULL,
    "ClientAddress" TEXT NULL,
    "Url" TEXT NULL,
    "Title" TEXT NULL,
    "Query" TEXT NULL,
    "Text" TEXT NULL,
    "Application" TEXT NULL,
    "ScreenshotType" TEXT NULL,
    "Screenshot" BLOB NULL,
    "ScannedAt" INTEGER NULL,
    CONSTRAINT "FK_monitoring_events_monitoring_devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES "monitoring_devices" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_monitoring_events_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "monitoring_alerts" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_monitoring_alerts" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "PersonId" TEXT NULL,
    "DeviceId" TEXT NOT NULL,
    "Category" TEXT NOT NULL,
    "Severity" TEXT NOT NULL,
    "SeverityRank" INTEGER NOT NULL,
    "Status" TEXT NOT NULL,
    "Score" INTEGER NOT NULL,
    "HitCount" INTEGER NOT NULL,
    "FirstAt" INTEGER NOT NULL,
    "LastAt" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "Phrase" TEXT NOT NULL,
    "Context" TEXT NULL,
    "HighlightStart" INTEGER NOT NULL,
    "HighlightLength" INTEGER NOT NULL,
    "Source" TEXT NULL,
    "Url" TEXT NULL,
    "EventId" INTEGER NOT NULL,
    "ScreenshotEventId" INTEGER NULL,
    "OpenedAt" INTEGER NULL,
    "OpenedBy" TEXT NULL,
    "EscalationLevel" INTEGER NOT NULL,
    "EscalateAt" INTEGER NULL,
    "Outcome" TEXT NULL,
    "OutcomeNote" TEXT NULL,
    "OutcomeBy" TEXT NULL,
    "OutcomeAt" INTEGER NULL,
    CONSTRAINT "FK_monitoring_alerts_monitoring_events_EventId" FOREIGN KEY ("EventId") REFERENCES "monitoring_events" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_monitoring_alerts_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "monitoring_alert_entries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_monitoring_alert_entries" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "AlertId" INTEGER NOT NULL,
    "At" INTEGER NOT NULL,
    "Kind" TEXT NOT NULL,
    "Actor" TEXT NOT NULL,
    "Recipient" TEXT NULL,
    "Role" TEXT NULL,
    "Note" TEXT NULL,
    CONSTRAINT "FK_monitoring_alert_entries_monitoring_alerts_AlertId" FOREIGN KEY ("AlertId") REFERENCES "monitoring_alerts" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_monitoring_alert_entries_AlertId_At" ON "monitoring_alert_entries" ("AlertId", "At");

CREATE INDEX "IX_monitoring_alerts_EscalateAt" ON "monitoring_alerts" ("EscalateAt");

CREATE INDEX "IX_monitoring_alerts_EventId" ON "monitoring_alerts" ("EventId");

CREATE INDEX "IX_monitoring_alerts_SchoolId_PersonId_Category_LastAt" ON "monitoring_alerts" ("SchoolId", "PersonId", "Category", "LastAt");

CREATE INDEX "IX_monitoring_alerts_SchoolId_Status_SeverityRank" ON "monitoring_alerts" ("SchoolId", "Status", "SeverityRank");

CREATE INDEX "IX_monitoring_devices_SchoolId_Name" ON "monitoring_devices" ("SchoolId", "Name");

CREATE UNIQUE INDEX "IX_monitoring_devices_TokenHash" ON "monitoring_devices" ("TokenHash");

CREATE INDEX "IX_monitoring_events_DeviceId" ON "monitoring_events" ("DeviceId");

CREATE INDEX "IX_monitoring_events_ScannedAt" ON "monitoring_events" ("ScannedAt");

CREATE UNIQUE INDEX "IX_monitoring_events_SchoolId_DeviceId_ClientEventId" ON "monitoring_events" ("SchoolId", "DeviceId", "ClientEventId");

CREATE INDEX "IX_monitoring_events_SchoolId_PersonId_OccurredAt" ON "monitoring_events" ("SchoolId", "PersonId", "OccurredAt");
