-- V0035: the policy's review cycle (W12, O23, C22): reviews and approvals recorded with their minute reference, and
-- the reminders sent to the policy's owner (unique per school, review date and stage, so no node sends one twice).
CREATE TABLE "policy_review_reminders" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_policy_review_reminders" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "NextReview" TEXT NOT NULL,
    "Stage" TEXT NOT NULL,
    "SentAt" INTEGER NOT NULL,
    "Recipients" INTEGER NOT NULL,
    CONSTRAINT "FK_policy_review_reminders_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);
CREATE TABLE "policy_reviews" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_policy_reviews" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "PolicyVersion" TEXT NOT NULL,
    "Kind" TEXT NOT NULL,
    "On" TEXT NOT NULL,
    "By" TEXT NOT NULL,
    "MinuteReference" TEXT NULL,
    "NextReview" TEXT NULL,
    "Note" TEXT NULL,
    "RecordedAt" INTEGER NOT NULL,
    "RecordedBy" TEXT NOT NULL,
    CONSTRAINT "FK_policy_reviews_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);
CREATE UNIQUE INDEX "IX_policy_review_reminders_SchoolId_NextReview_Stage" ON "policy_review_reminders" ("SchoolId", "NextReview", "Stage");
CREATE INDEX "IX_policy_reviews_SchoolId_On" ON "policy_reviews" ("SchoolId", "On");
