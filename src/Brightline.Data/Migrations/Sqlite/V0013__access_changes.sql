-- V0013: access changes as events (architecture issue, item 3). A sanction, approval, signature, sign-in or
-- leaver writes one row in the same transaction as the change; every process reads rows newer than the last
-- it saw and drops what it cached for that person. Rows are notices, purged after a day (index on "At").
CREATE TABLE "access_changes" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_access_changes" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "PersonId" TEXT NULL,
    "Reason" TEXT NOT NULL,
    "At" INTEGER NOT NULL
);

CREATE INDEX "IX_access_changes_At" ON "access_changes" ("At");
