-- V0032: password rules from the policy (issue 15; F3, C16, H13). account_passwords: when each portal account's password
-- was last set (for the policy's max_age) and whether it must be changed now (reported compromised); password_history:
-- Identity's hash of each password set, for "no reuse of the last N" (F3: "never reused"). Every existing account
-- starts its clock now, at the migration, so no one is locked out the day the rules ship; new rules apply at the next change.

CREATE TABLE "account_passwords" (
    "UserId" TEXT NOT NULL CONSTRAINT "PK_account_passwords" PRIMARY KEY,
    "ChangedAt" INTEGER NOT NULL,
    "MustChange" TEXT NULL,
    "MustChangeSince" INTEGER NULL,
    CONSTRAINT "FK_account_passwords_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE TABLE "password_history" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_password_history" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "Hash" TEXT NOT NULL,
    "ChangedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_password_history_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_password_history_UserId_ChangedAt" ON "password_history" ("UserId", "ChangedAt");

-- DateTimeOffsetToBinaryConverter's form of "now" (UTC): ((ticks / 1000) << 11) with offset 0.
INSERT INTO "account_passwords" ("UserId", "ChangedAt")
SELECT "Id", (CAST(strftime('%s', 'now') AS INTEGER) * 10000 + 621355968000000) * 2048 FROM "AspNetUsers";
