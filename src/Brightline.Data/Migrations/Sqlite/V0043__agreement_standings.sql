-- V0043 (issue 18 part 1): set-based agreement state. Each person's standing on each agreement they owe, written by
-- AgreementStandings when an event changes it, and a stamp per school of what the standings were computed from.
CREATE TABLE "agreement_standings" (
    "PersonId" TEXT NOT NULL,
    "AgreementId" TEXT NOT NULL,
    "SchoolId" TEXT NOT NULL,
    "AgreementVersionId" INTEGER NOT NULL,
    "NeedsSelf" INTEGER NOT NULL,
    "NeedsParent" INTEGER NOT NULL,
    "SelfSigned" INTEGER NOT NULL,
    "ParentSigned" INTEGER NOT NULL,
    "OnBehalf" INTEGER NOT NULL,
    "Signed" INTEGER NOT NULL,
    "DueBy" TEXT NOT NULL,
    "MissingSince" TEXT NULL,
    "ParentSignerId" TEXT NULL,
    CONSTRAINT "PK_agreement_standings" PRIMARY KEY ("PersonId", "AgreementId"),
    CONSTRAINT "FK_agreement_standings_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_agreement_standings_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);
CREATE TABLE "agreement_standing_stamps" (
    "SchoolId" TEXT NOT NULL CONSTRAINT "PK_agreement_standing_stamps" PRIMARY KEY,
    "Versions" TEXT NOT NULL,
    "YearStart" TEXT NOT NULL,
    "PeopleCount" INTEGER NOT NULL,
    "PeopleUpdatedAt" INTEGER NULL,
    "OfficialCapacity" TEXT NOT NULL,
    "RefreshedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_agreement_standing_stamps_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);
CREATE INDEX "IX_agreement_standings_SchoolId_AgreementId_Signed_DueBy" ON "agreement_standings" ("SchoolId", "AgreementId", "Signed", "DueBy");
CREATE INDEX "IX_agreement_standings_SchoolId_Signed_DueBy" ON "agreement_standings" ("SchoolId", "Signed", "DueBy");
