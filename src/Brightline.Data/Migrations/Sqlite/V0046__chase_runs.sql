-- V0046 (issue 18 part 3, several nodes): a parent chase sending in the background is a row, so its progress page
-- answers on every portal node, and the unique index on a school's unfinished run stops two nodes sending one
-- school's chase at once.
CREATE TABLE "chase_runs" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_chase_runs" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "Actor" TEXT NOT NULL,
    "StartedAt" INTEGER NOT NULL,
    "Total" INTEGER NOT NULL,
    "Countersignatures" INTEGER NOT NULL,
    "Unreachable" INTEGER NOT NULL,
    "Done" INTEGER NOT NULL,
    "Sent" INTEGER NULL,
    "Failed" INTEGER NULL,
    "Error" TEXT NULL,
    "FinishedAt" INTEGER NULL,
    "Node" TEXT NOT NULL,
    "HeartbeatAt" INTEGER NOT NULL,
    CONSTRAINT "FK_chase_runs_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);
CREATE INDEX "IX_chase_runs_SchoolId_StartedAt" ON "chase_runs" ("SchoolId", "StartedAt");
CREATE UNIQUE INDEX "IX_chase_runs_SchoolId_Sending" ON "chase_runs" ("SchoolId") WHERE "FinishedAt" IS NULL;
