-- V0031: the register's device a browser-extension enrolment runs on (issue 14, F7), matched by the serial number or
-- asset ID a managed Chromebook reports, so a lost or stolen report revokes that browser's tokens.
ALTER TABLE "extension_tokens" ADD COLUMN "RegisterDeviceId" TEXT NULL REFERENCES "devices" ("Id") ON DELETE RESTRICT;

CREATE INDEX "IX_extension_tokens_RegisterDeviceId" ON "extension_tokens" ("RegisterDeviceId");

CREATE INDEX "IX_extension_tokens_SchoolId_RegisterDeviceId" ON "extension_tokens" ("SchoolId", "RegisterDeviceId");
