-- V0043 (issue 18 part 1): set-based agreement state. Each person's standing on each agreement they owe, written by
-- AgreementStandings when an event changes it, and a stamp per school of what the standings were computed from.
CREATE TABLE agreement_standings (
    "PersonId" uuid NOT NULL,
    "AgreementId" character varying(100) NOT NULL,
    "SchoolId" character varying(64) NOT NULL,
    "AgreementVersionId" bigint NOT NULL,
    "NeedsSelf" boolean NOT NULL,
    "NeedsParent" boolean NOT NULL,
    "SelfSigned" boolean NOT NULL,
    "ParentSigned" boolean NOT NULL,
    "OnBehalf" boolean NOT NULL,
    "Signed" boolean NOT NULL,
    "DueBy" date NOT NULL,
    "MissingSince" date,
    "ParentSignerId" uuid,
    CONSTRAINT "PK_agreement_standings" PRIMARY KEY ("PersonId", "AgreementId"),
    CONSTRAINT "FK_agreement_standings_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES people ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_agreement_standings_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES schools ("Id") ON DELETE RESTRICT
);
CREATE TABLE agreement_standing_stamps (
    "SchoolId" character varying(64) NOT NULL,
    "Versions" character varying(4000) NOT NULL,
    "YearStart" date NOT NULL,
    "PeopleCount" integer NOT NULL,
    "PeopleUpdatedAt" timestamp with time zone,
    "OfficialCapacity" text NOT NULL,
    "RefreshedAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_agreement_standing_stamps" PRIMARY KEY ("SchoolId"),
    CONSTRAINT "FK_agreement_standing_stamps_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES schools ("Id") ON DELETE RESTRICT
);
CREATE INDEX "IX_agreement_standings_SchoolId_AgreementId_Signed_DueBy" ON agreement_standings ("SchoolId", "AgreementId", "Signed", "DueBy");
CREATE INDEX "IX_agreement_standings_SchoolId_Signed_DueBy" ON agreement_standings ("SchoolId", "Signed", "DueBy");
