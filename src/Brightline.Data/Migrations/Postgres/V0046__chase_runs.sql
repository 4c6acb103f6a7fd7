-- V0046 (issue 18 part 3, several nodes): a parent chase sending in the background is a row, so its progress page
-- answers on every portal node, and the unique index on a school's unfinished run stops two nodes sending one
-- school's chase at once.
CREATE TABLE chase_runs (
    "Id" uuid NOT NULL,
    "SchoolId" character varying(64) NOT NULL,
    "Actor" character varying(256) NOT NULL,
    "StartedAt" timestamp with time zone NOT NULL,
    "Total" integer NOT NULL,
    "Countersignatures" integer NOT NULL,
    "Unreachable" integer NOT NULL,
    "Done" integer NOT NULL,
    "Sent" integer,
    "Failed" integer,
    "Error" character varying(1000),
    "FinishedAt" timestamp with time zone,
    "Node" character varying(256) NOT NULL,
    "HeartbeatAt" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_chase_runs" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_chase_runs_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES schools ("Id") ON DELETE RESTRICT
);
CREATE INDEX "IX_chase_runs_SchoolId_StartedAt" ON chase_runs ("SchoolId", "StartedAt");
CREATE UNIQUE INDEX "IX_chase_runs_SchoolId_Sending" ON chase_runs ("SchoolId") WHERE "FinishedAt" IS NULL;
