-- V0008: the approvals workflow (issue 5, section 3): requests under policy-defined types, their append-only
-- decision history, and guest Wi-Fi vouchers (O22). Nothing is deleted: revocation and expiry are recorded.
-- filter_overrides gains ClassName so a teacher's temporary unblock applies to their class's pupils only.
ALTER TABLE "filter_overrides" ADD COLUMN "ClassName" TEXT NULL;

CREATE TABLE "approval_requests" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_approval_requests" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "TypeId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "RequestedBy" TEXT NOT NULL,
    "RequestedByPersonId" TEXT NULL,
    "SubjectPersonId" TEXT NULL,
    "Reason" TEXT NOT NULL,
    "RuleId" TEXT NULL,
    "Host" TEXT NULL,
    "ClassName" TEXT NULL,
    "Detail" TEXT NULL,
    "VoucherCount" INTEGER NOT NULL,
    "DurationMinutes" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "AgreementSha256" TEXT NULL,
    "AgreementSignedName" TEXT NULL,
    "AgreementSignedAt" INTEGER NULL,
    "DecidedAt" INTEGER NULL,
    "DecidedBy" TEXT NULL,
    "DecisionNote" TEXT NULL,
    "StartsAt" INTEGER NULL,
    "EndsAt" INTEGER NULL,
    "EndedAt" INTEGER NULL,
    "EndedBy" TEXT NULL,
    "EndReason" TEXT NULL,
    "FilterOverrideIds" TEXT NULL,
    "ContentPermissionId" INTEGER NULL,
    "IncidentIds" TEXT NULL,
    CONSTRAINT "FK_approval_requests_people_SubjectPersonId" FOREIGN KEY ("SubjectPersonId") REFERENCES "people" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_approval_requests_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "approval_decisions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_approval_decisions" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "ApprovalId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "Actor" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "Note" TEXT NULL,
    CONSTRAINT "FK_approval_decisions_approval_requests_ApprovalId" FOREIGN KEY ("ApprovalId") REFERENCES "approval_requests" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "wifi_vouchers" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_wifi_vouchers" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "ApprovalId" TEXT NOT NULL,
    "Code" TEXT NOT NULL,
    "Group" TEXT NOT NULL,
    "ValidFrom" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "RevokedAt" INTEGER NULL,
    CONSTRAINT "FK_wifi_vouchers_approval_requests_ApprovalId" FOREIGN KEY ("ApprovalId") REFERENCES "approval_requests" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_approval_decisions_ApprovalId" ON "approval_decisions" ("ApprovalId");

CREATE INDEX "IX_approval_requests_SchoolId_Status" ON "approval_requests" ("SchoolId", "Status");

CREATE INDEX "IX_approval_requests_SchoolId_SubjectPersonId" ON "approval_requests" ("SchoolId", "SubjectPersonId");

CREATE INDEX "IX_approval_requests_SubjectPersonId" ON "approval_requests" ("SubjectPersonId");

CREATE INDEX "IX_wifi_vouchers_ApprovalId" ON "wifi_vouchers" ("ApprovalId");

CREATE UNIQUE INDEX "IX_wifi_vouchers_Code" ON "wifi_vouchers" ("Code");
