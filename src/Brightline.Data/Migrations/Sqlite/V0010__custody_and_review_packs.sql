-- V0010: chain of custody for seized or handed-in devices (issue 5, section 4; H14) and stored annual
-- filtering-and-monitoring review packs (section 5). Append-only: a device's steps and a stored pack are never updated.
CREATE TABLE "review_packs" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_review_packs" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "PeriodStart" TEXT NOT NULL,
    "PeriodEnd" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "ActionsAgreed" TEXT NOT NULL,
    "Html" TEXT NOT NULL,
    "Pdf" BLOB NULL,
    "SelfTestPassed" INTEGER NOT NULL,
    "SelfTestFailed" INTEGER NOT NULL,
    "SelfTestNotRun" INTEGER NOT NULL,
    CONSTRAINT "FK_review_packs_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "custody_items" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_custody_items" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "SerialOrTag" TEXT NULL,
    "OwnerPersonId" TEXT NULL,
    "IncidentId" TEXT NULL,
    "Origin" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "TakenBy" TEXT NOT NULL,
    "TakenAt" INTEGER NOT NULL,
    "RecordedBy" TEXT NOT NULL,
    "RecordedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_custody_items_incidents_IncidentId" FOREIGN KEY ("IncidentId") REFERENCES "incidents" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_custody_items_people_OwnerPersonId" FOREIGN KEY ("OwnerPersonId") REFERENCES "people" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_custody_items_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "custody_steps" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_custody_steps" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "ItemId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "ReceiverName" TEXT NOT NULL,
    "ReceiverUserId" TEXT NULL,
    "ReceiverRole" TEXT NULL,
    "ExternalBody" TEXT NULL,
    "ExternalReference" TEXT NULL,
    "StoragePlace" TEXT NULL,
    "Note" TEXT NULL,
    "Signature" TEXT NOT NULL,
    "WitnessedBy" TEXT NULL,
    "RecordedBy" TEXT NOT NULL,
    CONSTRAINT "FK_custody_steps_custody_items_ItemId" FOREIGN KEY ("ItemId") REFERENCES "custody_items" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_custody_items_IncidentId" ON "custody_items" ("IncidentId");

CREATE INDEX "IX_custody_items_OwnerPersonId" ON "custody_items" ("OwnerPersonId");

CREATE INDEX "IX_custody_items_SchoolId_TakenAt" ON "custody_items" ("SchoolId", "TakenAt");

CREATE INDEX "IX_custody_steps_ItemId" ON "custody_steps" ("ItemId");

CREATE INDEX "IX_review_packs_SchoolId_CreatedAt" ON "review_packs" ("SchoolId", "CreatedAt");
