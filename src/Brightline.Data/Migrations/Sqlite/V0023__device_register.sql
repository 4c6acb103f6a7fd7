-- V0023: the device register (issue 14; H1, W3, F7, C15–C20): devices with their current state, their append-only
-- history and the attestations made about them (encrypted, passcode, two-factor, virus-checked). Nothing is deleted.
CREATE TABLE "devices" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_devices" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "AssetTag" TEXT NULL,
    "Serial" TEXT NULL,
    "Kind" TEXT NOT NULL,
    "Model" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Ownership" TEXT NOT NULL,
    "State" TEXT NOT NULL,
    "PersonId" TEXT NULL,
    "ClassName" TEXT NULL,
    "Location" TEXT NULL,
    "DeviceGroup" TEXT NULL,
    "Macs" TEXT NOT NULL,
    "Notes" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_devices_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_devices_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "device_attestations" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_device_attestations" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "DeviceId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Confirmed" INTEGER NOT NULL,
    "At" INTEGER NOT NULL,
    "AttestedBy" TEXT NOT NULL,
    "Note" TEXT NULL,
    CONSTRAINT "FK_device_attestations_devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES "devices" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_device_attestations_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "device_history" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_device_history" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "DeviceId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Action" TEXT NOT NULL,
    "Detail" TEXT NOT NULL,
    "Actor" TEXT NOT NULL,
    CONSTRAINT "FK_device_history_devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES "devices" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_device_history_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_device_attestations_DeviceId" ON "device_attestations" ("DeviceId");

CREATE INDEX "IX_device_attestations_SchoolId_DeviceId_Kind_At" ON "device_attestations" ("SchoolId", "DeviceId", "Kind", "At");

CREATE INDEX "IX_device_history_DeviceId" ON "device_history" ("DeviceId");

CREATE INDEX "IX_device_history_SchoolId_DeviceId_At" ON "device_history" ("SchoolId", "DeviceId", "At");

CREATE INDEX "IX_devices_PersonId" ON "devices" ("PersonId");

CREATE UNIQUE INDEX "IX_devices_SchoolId_AssetTag" ON "devices" ("SchoolId", "AssetTag");

CREATE INDEX "IX_devices_SchoolId_PersonId" ON "devices" ("SchoolId", "PersonId");

CREATE INDEX "IX_devices_SchoolId_State" ON "devices" ("SchoolId", "State");
