-- V0021: MAC authentication for registered school devices (issue 13; O21, C3) — the minimal list the device register
-- (issue 14) can replace — and guest Wi-Fi vouchers (O22), whose passwords are kept only as hashes.
CREATE TABLE "guest_vouchers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_guest_vouchers" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "UserName" TEXT NOT NULL,
    "PasswordHash" TEXT NOT NULL,
    "VisitorName" TEXT NOT NULL,
    "Purpose" TEXT NOT NULL,
    "ValidFrom" INTEGER NOT NULL,
    "ValidUntil" INTEGER NOT NULL,
    "IssuedAt" INTEGER NOT NULL,
    "IssuedBy" TEXT NOT NULL,
    "RevokedAt" INTEGER NULL,
    "RevokedBy" TEXT NULL,
    CONSTRAINT "FK_guest_vouchers_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "network_devices" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_network_devices" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "Mac" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "DeviceGroup" TEXT NOT NULL,
    "AddedAt" INTEGER NOT NULL,
    "AddedBy" TEXT NOT NULL,
    "Source" TEXT NOT NULL,
    CONSTRAINT "FK_network_devices_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_guest_vouchers_SchoolId_UserName" ON "guest_vouchers" ("SchoolId", "UserName");

CREATE INDEX "IX_guest_vouchers_SchoolId_ValidUntil" ON "guest_vouchers" ("SchoolId", "ValidUntil");

CREATE UNIQUE INDEX "IX_network_devices_SchoolId_Mac" ON "network_devices" ("SchoolId", "Mac");
