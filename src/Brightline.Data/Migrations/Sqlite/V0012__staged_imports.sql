-- V0012: people-import files checked and waiting for "Apply" (security issue, item 7), kept in the database
-- instead of one process's memory so any portal process can apply them; bounded per school and purged on expiry.
CREATE TABLE "staged_imports" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_staged_imports" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "StagedByUserId" TEXT NOT NULL,
    "StagedBy" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "FullImport" INTEGER NOT NULL,
    "Content" BLOB NOT NULL,
    "Sha256" TEXT NOT NULL,
    "SizeBytes" INTEGER NOT NULL,
    "Summary" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "AppliedAt" INTEGER NULL,
    "AppliedBy" TEXT NULL,
    CONSTRAINT "FK_staged_imports_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_staged_imports_ExpiresAt" ON "staged_imports" ("ExpiresAt");

CREATE INDEX "IX_staged_imports_SchoolId_CreatedAt" ON "staged_imports" ("SchoolId", "CreatedAt");
