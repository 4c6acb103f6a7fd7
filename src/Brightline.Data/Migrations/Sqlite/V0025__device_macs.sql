-- V0025: the device register's MAC index (issue 14; O21, C3): one row per MAC of a registered device, unique in the
-- school, so MAC authentication is one indexed lookup. The minimal network_devices list of issue 13 is copied into
-- the register (a device per MAC, in use, with its name and device group) and kept, no longer read.
CREATE TABLE "device_macs" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_device_macs" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "Mac" TEXT NOT NULL,
    "DeviceId" TEXT NOT NULL,
    CONSTRAINT "FK_device_macs_devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES "devices" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_device_macs_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_device_macs_DeviceId" ON "device_macs" ("DeviceId");

CREATE UNIQUE INDEX "IX_device_macs_SchoolId_Mac" ON "device_macs" ("SchoolId", "Mac");

INSERT INTO "devices" ("Id", "SchoolId", "AssetTag", "Serial", "Kind", "Model", "Name", "Ownership", "State", "PersonId", "ClassName", "Location",
    "DeviceGroup", "Macs", "Notes", "CreatedAt", "CreatedBy", "UpdatedAt")
SELECT upper(hex(randomblob(4)) || '-' || hex(randomblob(2)) || '-4' || substr(hex(randomblob(2)), 2) || '-' || hex(randomblob(2)) || '-' || hex(randomblob(6))),
    n."SchoolId", NULL, NULL, 'other', '(not recorded)', n."Name", 'school', 'in_use', NULL, NULL, NULL,
    n."DeviceGroup", n."Mac", 'Copied from the network''s device list (' || n."Source" || ').', n."AddedAt", n."AddedBy", n."AddedAt"
FROM "network_devices" n;

INSERT INTO "device_macs" ("SchoolId", "Mac", "DeviceId")
SELECT d."SchoolId", d."Macs", d."Id" FROM "devices" d
WHERE EXISTS (SELECT 1 FROM "network_devices" n WHERE n."SchoolId" = d."SchoolId" AND n."Mac" = d."Macs");

INSERT INTO "device_history" ("SchoolId", "DeviceId", "At", "Action", "Detail", "Actor")
SELECT m."SchoolId", m."DeviceId", d."CreatedAt", 'registered', 'Copied from the network''s device list: ' || m."Mac" || ', group ' || COALESCE(d."DeviceGroup", '—') || '.', 'migration V0025'
FROM "device_macs" m JOIN "devices" d ON d."Id" = m."DeviceId";
