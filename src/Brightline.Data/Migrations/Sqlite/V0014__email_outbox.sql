-- V0014: email goes through an outbox (architecture issue, item 6). A message is a row written in the caller's
-- transaction, with the change that caused it and its line in email_log, and sent afterwards by a worker with
-- retries, outside any transaction; attachments (the weekly digest's PDF) are kept until the message is done.
CREATE TABLE "email_outbox" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_email_outbox" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "Recipient" TEXT NOT NULL,
    "Subject" TEXT NOT NULL,
    "TextBody" TEXT NOT NULL,
    "Purpose" TEXT NOT NULL,
    "EmailRecordId" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "State" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "NextAttemptAt" INTEGER NOT NULL,
    "ClaimedUntil" INTEGER NULL,
    "SentAt" INTEGER NULL,
    "LastError" TEXT NULL,
    CONSTRAINT "FK_email_outbox_email_log_EmailRecordId" FOREIGN KEY ("EmailRecordId") REFERENCES "email_log" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_email_outbox_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE TABLE "email_outbox_attachments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_email_outbox_attachments" PRIMARY KEY AUTOINCREMENT,
    "MessageId" INTEGER NOT NULL,
    "FileName" TEXT NOT NULL,
    "MediaType" TEXT NOT NULL,
    "Content" BLOB NOT NULL,
    CONSTRAINT "FK_email_outbox_attachments_email_outbox_MessageId" FOREIGN KEY ("MessageId") REFERENCES "email_outbox" ("Id") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_email_outbox_EmailRecordId" ON "email_outbox" ("EmailRecordId");

CREATE INDEX "IX_email_outbox_SchoolId" ON "email_outbox" ("SchoolId");

CREATE INDEX "IX_email_outbox_State_NextAttemptAt" ON "email_outbox" ("State", "NextAttemptAt");

CREATE INDEX "IX_email_outbox_attachments_MessageId" ON "email_outbox_attachments" ("MessageId");
