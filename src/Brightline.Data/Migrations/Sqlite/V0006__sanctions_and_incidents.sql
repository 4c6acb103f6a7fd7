-- V0006: sanctions (issue 5, section 2) and the incident register's core (section 1).
-- Never deleted: lifting a sanction and recording the parents' meeting are recorded on the row; an incident's timeline is append-only.
CREATE TABLE "sanctions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_sanctions" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "PersonId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Categories" TEXT NULL,
    "Reason" TEXT NOT NULL,
    "ImposedBy" TEXT NOT NULL,
    "ImposedAt" INTEGER NOT NULL,
    "StartsAt" INTEGER NOT NULL,
    "EndsAt" INTEGER NULL,
    "MeetingRecordedAt" INTEGER NULL,
    "MeetingRecordedBy" TEXT NULL,
    "MeetingNote" TEXT NULL,
    "LiftedAt" INTEGER NULL,
    "LiftedBy" TEXT NULL,
    "LiftReason" TEXT NULL,
    CONSTRAINT "FK_sanctions_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_sanctions_PersonId" ON "sanctions" ("PersonId");
CREATE INDEX "IX_sanctions_SchoolId_PersonId" ON "sanctions" ("SchoolId", "PersonId");

CREATE TABLE "incidents" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_incidents" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "RuleIds" TEXT NULL,
    "Status" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    CONSTRAINT "FK_incidents_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "incident_people" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_incident_people" PRIMARY KEY AUTOINCREMENT,
    "IncidentId" TEXT NOT NULL,
    "PersonId" TEXT NOT NULL,
    CONSTRAINT "FK_incident_people_incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "incidents" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_incident_people_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "incident_entries" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_incident_entries" PRIMARY KEY AUTOINCREMENT,
    "IncidentId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Author" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "CorrectsEntryId" INTEGER NULL,
    CONSTRAINT "FK_incident_entries_incident_entries_CorrectsEntryId" FOREIGN KEY ("CorrectsEntryId") REFERENCES "incident_entries" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_incident_entries_incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "incidents" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_incidents_SchoolId_Status" ON "incidents" ("SchoolId", "Status");

CREATE UNIQUE INDEX "IX_incident_people_IncidentId_PersonId" ON "incident_people" ("IncidentId", "PersonId");

CREATE INDEX "IX_incident_people_PersonId" ON "incident_people" ("PersonId");

CREATE INDEX "IX_incident_entries_CorrectsEntryId" ON "incident_entries" ("CorrectsEntryId");

CREATE INDEX "IX_incident_entries_IncidentId" ON "incident_entries" ("IncidentId");
