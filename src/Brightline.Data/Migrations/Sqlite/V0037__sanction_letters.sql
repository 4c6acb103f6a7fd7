-- V0037: letters to parents about a sanction (issue 15 part 6; C13): who sent one, when and to whom, or that nothing
-- was sent and why (no parent with an email address). One row per send; never updated or deleted.
CREATE TABLE "sanction_letters" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_sanction_letters" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "SanctionId" TEXT NOT NULL,
    "PersonId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "By" TEXT NOT NULL,
    "Automatic" INTEGER NOT NULL,
    "Sent" INTEGER NOT NULL,
    "Recipients" TEXT NOT NULL,
    "Note" TEXT NULL,
    CONSTRAINT "FK_sanction_letters_sanctions_SanctionId" FOREIGN KEY ("SanctionId") REFERENCES "sanctions" ("Id") ON DELETE RESTRICT
);
CREATE INDEX "IX_sanction_letters_SanctionId" ON "sanction_letters" ("SanctionId");
CREATE INDEX "IX_sanction_letters_SchoolId_SanctionId" ON "sanction_letters" ("SchoolId", "SanctionId");
