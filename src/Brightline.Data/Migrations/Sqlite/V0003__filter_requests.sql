-- V0003: filter unblock/miss requests and the school-local allow/deny overrides they approve (issue 3).
CREATE TABLE "filter_overrides" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_filter_overrides" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "Profile" TEXT NOT NULL,
    "Entry" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "Category" TEXT NULL,
    "Reason" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "CreatedBy" TEXT NOT NULL,
    "Expires" INTEGER NULL,
    "RequestId" INTEGER NULL,
    "WithdrawnAt" INTEGER NULL,
    "WithdrawnBy" TEXT NULL,
    CONSTRAINT "FK_filter_overrides_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "filter_requests" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_filter_requests" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Host" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "PersonId" TEXT NULL,
    "ClientAddress" TEXT NULL,
    "Profile" TEXT NULL,
    "Category" TEXT NULL,
    "RuleId" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "DecidedAt" INTEGER NULL,
    "DecidedBy" TEXT NULL,
    "DecisionNote" TEXT NULL,
    "TargetProfile" TEXT NULL,
    "Expires" INTEGER NULL,
    "OverrideId" INTEGER NULL,
    CONSTRAINT "FK_filter_requests_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_filter_overrides_SchoolId_Profile" ON "filter_overrides" ("SchoolId", "Profile");
CREATE INDEX "IX_filter_requests_SchoolId_Status_CreatedAt" ON "filter_requests" ("SchoolId", "Status", "CreatedAt");
