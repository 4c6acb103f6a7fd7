-- V0026: personal-device and removable-media requests (issue 14, point 2; W3, H3, O19, F5, F7, C17, C20): who asked for
-- whose device, what they attested, the decision, the approval's expiry and the register row created on approval.
CREATE TABLE "device_requests" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_device_requests" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "PersonId" TEXT NOT NULL,
    "RequestedByUserId" TEXT NOT NULL,
    "RequestedByName" TEXT NOT NULL,
    "RequestedByEmail" TEXT NULL,
    "RequestedAs" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "DeviceKind" TEXT NOT NULL,
    "Description" TEXT NOT NULL,
    "MakeModel" TEXT NULL,
    "Serial" TEXT NULL,
    "Macs" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "Attestations" TEXT NOT NULL,
    "AttestedBy" TEXT NULL,
    "Requirement" TEXT NULL,
    "State" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "DecidedBy" TEXT NULL,
    "DecidedAt" INTEGER NULL,
    "DecisionNote" TEXT NULL,
    "ExpiresAt" INTEGER NULL,
    "DeviceId" TEXT NULL,
    "RenewsRequestId" TEXT NULL,
    "RenewalRemindedAt" INTEGER NULL,
    CONSTRAINT "FK_device_requests_device_requests_RenewsRequestId" FOREIGN KEY ("RenewsRequestId") REFERENCES "device_requests" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_device_requests_devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES "devices" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_device_requests_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_device_requests_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_device_requests_DeviceId" ON "device_requests" ("DeviceId");

CREATE INDEX "IX_device_requests_PersonId" ON "device_requests" ("PersonId");

CREATE INDEX "IX_device_requests_RenewsRequestId" ON "device_requests" ("RenewsRequestId");

CREATE INDEX "IX_device_requests_SchoolId_PersonId" ON "device_requests" ("SchoolId", "PersonId");

CREATE INDEX "IX_device_requests_SchoolId_State_CreatedAt" ON "device_requests" ("SchoolId", "State", "CreatedAt");

CREATE INDEX "IX_device_requests_State_ExpiresAt" ON "device_requests" ("State", "ExpiresAt");
