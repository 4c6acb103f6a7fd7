-- V0012: people-import files checked and waiting for "Apply" (security issue, item 7), kept in the database
-- instead of one process's memory so any portal process can apply them; bounded per school and purged on expiry.
CREATE TABLE staged_imports (
    "Id" character varying(32) NOT NULL,
    "SchoolId" character varying(64) NOT NULL,
    "StagedByUserId" character varying(450) NOT NULL,
    "StagedBy" character varying(256) NOT NULL,
    "Kind" character varying(16) NOT NULL,
    "FullImport" boolean NOT NULL,
    "Content" bytea NOT NULL,
    "Sha256" character varying(64) NOT NULL,
    "SizeBytes" integer NOT NULL,
    "Summary" character varying(1000) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "ExpiresAt" timestamp with time zone NOT NULL,
    "AppliedAt" timestamp with time zone,
    "AppliedBy" character varying(256),
    CONSTRAINT "PK_staged_imports" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_staged_imports_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES schools ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_staged_imports_ExpiresAt" ON staged_imports ("ExpiresAt");

CREATE INDEX "IX_staged_imports_SchoolId_CreatedAt" ON staged_imports ("SchoolId", "CreatedAt");
