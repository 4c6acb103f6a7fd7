-- V0047: issue 18 part 2, pages at 40,000 people. One person's agreement state from an index alone; the school's
-- latest change to its people (the standings' freshness stamp, read before every count); the people list's classes;
-- the audit page's actions.
CREATE INDEX "IX_agreement_standings_PersonId_Signed_DueBy_AgreementId" ON agreement_standings ("PersonId", "Signed", "DueBy", "AgreementId");

CREATE INDEX "IX_people_SchoolId_UpdatedAt" ON people ("SchoolId", "UpdatedAt");

CREATE INDEX "IX_people_SchoolId_ClassName" ON people ("SchoolId", "ClassName");

CREATE INDEX "IX_audit_log_SchoolId_Action" ON audit_log ("SchoolId", "Action");
