-- V0028: lost property (issue 14; H15) — where a found device was found, who signed for it, how long it is held and how it
-- left (handed back, or disposed of with the data wipe) — and leavers' equipment checklists (C19).
CREATE TABLE "found_devices" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_found_devices" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "FoundAt" INTEGER NOT NULL,
    "FoundWhere" TEXT NOT NULL,
    "FoundBy" TEXT NOT NULL,
    "LoggedBy" TEXT NOT NULL,
    "LoggedAt" INTEGER NOT NULL,
    "CustodianName" TEXT NULL,
    "CustodianUserId" TEXT NULL,
    "CustodianAt" INTEGER NULL,
    "HoldUntil" TEXT NULL,
    "HoldRule" TEXT NULL,
    "DueNotifiedAt" INTEGER NULL,
    "Outcome" TEXT NULL,
    "ClosedAt" INTEGER NULL,
    "ClosedBy" TEXT NULL,
    "ReturnedTo" TEXT NULL,
    "WitnessedBy" TEXT NULL,
    "WipeMethod" TEXT NULL,
    "WipedBy" TEXT NULL,
    "DisposalNote" TEXT NULL,
    CONSTRAINT "FK_found_devices_devices_Id" FOREIGN KEY ("Id") REFERENCES "devices" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_found_devices_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_found_devices_SchoolId_Outcome_HoldUntil" ON "found_devices" ("SchoolId", "Outcome", "HoldUntil");

CREATE TABLE "leaver_checklists" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_leaver_checklists" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "PersonId" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "StartsOn" TEXT NOT NULL,
    "EndsOn" TEXT NULL,
    "OpenedAt" INTEGER NOT NULL,
    "OpenedBy" TEXT NOT NULL,
    "NotifiedAt" INTEGER NULL,
    "ClosedAt" INTEGER NULL,
    CONSTRAINT "FK_leaver_checklists_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_leaver_checklists_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_leaver_checklists_PersonId" ON "leaver_checklists" ("PersonId");

CREATE INDEX "IX_leaver_checklists_SchoolId_ClosedAt" ON "leaver_checklists" ("SchoolId", "ClosedAt");

CREATE UNIQUE INDEX "IX_leaver_checklists_SchoolId_PersonId_Reason_StartsOn" ON "leaver_checklists" ("SchoolId", "PersonId", "Reason", "StartsOn");

CREATE TABLE "leaver_checklist_items" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_leaver_checklist_items" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "ChecklistId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "DeviceId" TEXT NOT NULL,
    "LoanId" INTEGER NULL,
    "Description" TEXT NOT NULL,
    "Outcome" TEXT NULL,
    "Note" TEXT NULL,
    "ClosedAt" INTEGER NULL,
    "ClosedBy" TEXT NULL,
    CONSTRAINT "FK_leaver_checklist_items_device_loans_LoanId" FOREIGN KEY ("LoanId") REFERENCES "device_loans" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_leaver_checklist_items_devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES "devices" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_leaver_checklist_items_leaver_checklists_ChecklistId" FOREIGN KEY ("ChecklistId") REFERENCES "leaver_checklists" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_leaver_checklist_items_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_leaver_checklist_items_ChecklistId" ON "leaver_checklist_items" ("ChecklistId");

CREATE INDEX "IX_leaver_checklist_items_DeviceId" ON "leaver_checklist_items" ("DeviceId");

CREATE INDEX "IX_leaver_checklist_items_LoanId" ON "leaver_checklist_items" ("LoanId");

CREATE INDEX "IX_leaver_checklist_items_SchoolId_ChecklistId" ON "leaver_checklist_items" ("SchoolId", "ChecklistId");
