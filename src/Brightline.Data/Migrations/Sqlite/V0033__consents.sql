-- V0033: photo and media consent (F11, C14; docs/consents.md) — append-only yes/no answers per child and question (a
-- parent's own link, a paper form or a withdrawal recorded by staff, or the child's verbal consent), and the parents'
-- single-use answer links (stored as SHA-256 hashes).
CREATE TABLE "consent_answers" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_consent_answers" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "ChildId" TEXT NOT NULL,
    "QuestionId" TEXT NOT NULL,
    "Given" INTEGER NOT NULL,
    "Method" TEXT NOT NULL,
    "ParentId" TEXT NULL,
    "RecordedByUserId" TEXT NULL,
    "AnsweredBy" TEXT NOT NULL,
    "AnsweredAt" INTEGER NOT NULL,
    "AcademicYear" TEXT NOT NULL,
    "Note" TEXT NULL,
    CONSTRAINT "FK_consent_answers_people_ChildId" FOREIGN KEY ("ChildId") REFERENCES "people" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_consent_answers_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "consent_links" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_consent_links" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "ParentId" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "UsedAt" INTEGER NULL,
    "CreatedBy" TEXT NOT NULL,
    CONSTRAINT "FK_consent_links_people_ParentId" FOREIGN KEY ("ParentId") REFERENCES "people" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_consent_links_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_consent_answers_ChildId" ON "consent_answers" ("ChildId");

CREATE INDEX "IX_consent_answers_SchoolId_ChildId_QuestionId" ON "consent_answers" ("SchoolId", "ChildId", "QuestionId");

CREATE INDEX "IX_consent_links_ParentId" ON "consent_links" ("ParentId");

CREATE INDEX "IX_consent_links_SchoolId_ParentId" ON "consent_links" ("SchoolId", "ParentId");

CREATE UNIQUE INDEX "IX_consent_links_TokenHash" ON "consent_links" ("TokenHash");
