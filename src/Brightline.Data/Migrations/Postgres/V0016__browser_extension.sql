-- V0016: the browser extension (issue 12): a school's enrolment keys, and one token per person per browser.
-- Only SHA-256 hashes of keys and tokens are stored.
CREATE TABLE extension_enrolment_keys (
    "Id" uuid NOT NULL,
    "SchoolId" character varying(64) NOT NULL,
    "KeyHash" character varying(64) NOT NULL,
    "KeyPrefix" character varying(16) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "CreatedBy" character varying(256) NOT NULL,
    "RevokedAt" timestamp with time zone,
    "RevokedBy" character varying(256),
    CONSTRAINT "PK_extension_enrolment_keys" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_extension_enrolment_keys_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES schools ("Id") ON DELETE RESTRICT
);

CREATE TABLE extension_tokens (
    "Id" uuid NOT NULL,
    "SchoolId" character varying(64) NOT NULL,
    "KeyId" uuid NOT NULL,
    "PersonId" uuid NOT NULL,
    "DeviceId" character varying(100) NOT NULL,
    "DeviceName" character varying(200) NOT NULL,
    "TokenHash" character varying(64) NOT NULL,
    "TokenPrefix" character varying(16) NOT NULL,
    "EnrolledAt" timestamp with time zone NOT NULL,
    "LastSeenAt" timestamp with time zone,
    "RevokedAt" timestamp with time zone,
    "RevokedBy" character varying(256),
    CONSTRAINT "PK_extension_tokens" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_extension_tokens_extension_enrolment_keys_KeyId" FOREIGN KEY ("KeyId") REFERENCES extension_enrolment_keys ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_extension_tokens_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES people ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_extension_tokens_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES schools ("Id") ON DELETE RESTRICT
);

CREATE UNIQUE INDEX "IX_extension_enrolment_keys_KeyHash" ON extension_enrolment_keys ("KeyHash");

CREATE INDEX "IX_extension_enrolment_keys_SchoolId" ON extension_enrolment_keys ("SchoolId");

CREATE INDEX "IX_extension_tokens_KeyId" ON extension_tokens ("KeyId");

CREATE INDEX "IX_extension_tokens_PersonId" ON extension_tokens ("PersonId");

CREATE UNIQUE INDEX "IX_extension_tokens_SchoolId_DeviceId_PersonId" ON extension_tokens ("SchoolId", "DeviceId", "PersonId");

CREATE UNIQUE INDEX "IX_extension_tokens_TokenHash" ON extension_tokens ("TokenHash");

