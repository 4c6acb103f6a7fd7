-- V0024: the loan book (issue 14; C15): mobile equipment signed out to an adult or a class and signed back in,
-- with returned-to-suite and charged ticks and the day the overdue list last named the loan.
CREATE TABLE "device_loans" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_device_loans" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "DeviceId" TEXT NOT NULL,
    "BorrowerPersonId" TEXT NULL,
    "BorrowerClass" TEXT NULL,
    "Purpose" TEXT NOT NULL,
    "OutAt" INTEGER NOT NULL,
    "DueAt" INTEGER NOT NULL,
    "OutBy" TEXT NOT NULL,
    "ReturnedAt" INTEGER NULL,
    "ReturnedBy" TEXT NULL,
    "ReturnedToSuite" INTEGER NULL,
    "Charged" INTEGER NULL,
    "OverdueNotifiedAt" INTEGER NULL,
    CONSTRAINT "FK_device_loans_devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES "devices" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_device_loans_people_BorrowerPersonId" FOREIGN KEY ("BorrowerPersonId") REFERENCES "people" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_device_loans_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_device_loans_BorrowerPersonId" ON "device_loans" ("BorrowerPersonId");

CREATE INDEX "IX_device_loans_DeviceId" ON "device_loans" ("DeviceId");

CREATE INDEX "IX_device_loans_SchoolId_BorrowerPersonId" ON "device_loans" ("SchoolId", "BorrowerPersonId");

CREATE INDEX "IX_device_loans_SchoolId_DeviceId_OutAt" ON "device_loans" ("SchoolId", "DeviceId", "OutAt");

CREATE INDEX "IX_device_loans_SchoolId_ReturnedAt_DueAt" ON "device_loans" ("SchoolId", "ReturnedAt", "DueAt");
