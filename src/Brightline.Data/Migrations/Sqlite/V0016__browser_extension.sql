-- V0016: the browser extension (issue 12): a school's enrolment keys, and one token per person per browser.
-- Only SHA-256 hashes of keys and tokens are stored.
CREATE TABLE "extension_enrolment_keys" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_extension_enrolment_keys" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "KeyHash" TEXT NOT NULL,
    "KeyPrefix" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "RevokedAt" INTEGER NULL,
    "RevokedBy" TEXT NULL,
    CONSTRAINT "FK_extension_enrolment_keys_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "extension_tokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_extension_tokens" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "KeyId" TEXT NOT NULL,
    "PersonId" TEXT NOT NULL,
    "DeviceId" TEXT NOT NULL,
    "DeviceName" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "TokenPrefix" TEXT NOT NULL,
    "EnrolledAt" INTEGER NOT NULL,
    "LastSeenAt" INTEGER NULL,
    "RevokedAt" INTEGER NULL,
    "RevokedBy" TEXT NULL,
    CONSTRAINT "FK_extension_tokens_extension_enrolment_keys_KeyId" FOREIGN KEY ("KeyId") REFERENCES "extension_enrolment_keys" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_extension_tokens_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_extension_tokens_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_extension_enrolment_keys_KeyHash" ON "extension_enrolment_keys" ("KeyHash");

CREATE INDEX "IX_extension_enrolment_keys_SchoolId" ON "extension_enrolment_keys" ("SchoolId");

CREATE INDEX "IX_extension_tokens_KeyId" ON "extension_tokens" ("KeyId");

CREATE INDEX "IX_extension_tokens_PersonId" ON "extension_tokens" ("PersonId");

CREATE UNIQUE INDEX "IX_extension_tokens_SchoolId_DeviceId_PersonId" ON "extension_tokens" ("SchoolId", "DeviceId", "PersonId");

CREATE UNIQUE INDEX "IX_extension_tokens_TokenHash" ON "extension_tokens" ("TokenHash");

