-- V0020: network sessions from RADIUS accounting and refused network sign-ins (issue 13), for the Network page,
-- the person's page and Disconnect-Request. Never a password or a shared secret.
CREATE TABLE "network_sessions" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_network_sessions" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "Nas" TEXT NOT NULL,
    "NasAddress" TEXT NULL,
    "NasIdentifier" TEXT NULL,
    "AcctSessionId" TEXT NOT NULL,
    "Network" TEXT NULL,
    "UserName" TEXT NOT NULL,
    "PersonId" TEXT NULL,
    "Mac" TEXT NULL,
    "Address" TEXT NULL,
    "Vlan" TEXT NULL,
    "StartedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    "EndedAt" INTEGER NULL,
    "EndReason" TEXT NULL,
    CONSTRAINT "FK_network_sessions_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_network_sessions_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_network_sessions_PersonId" ON "network_sessions" ("PersonId");

CREATE INDEX "IX_network_sessions_SchoolId_EndedAt" ON "network_sessions" ("SchoolId", "EndedAt");

CREATE UNIQUE INDEX "IX_network_sessions_SchoolId_Nas_AcctSessionId" ON "network_sessions" ("SchoolId", "Nas", "AcctSessionId");

CREATE INDEX "IX_network_sessions_SchoolId_PersonId" ON "network_sessions" ("SchoolId", "PersonId");

CREATE INDEX "IX_network_sessions_UpdatedAt" ON "network_sessions" ("UpdatedAt");

CREATE TABLE "network_rejects" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_network_rejects" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "UserName" TEXT NOT NULL,
    "PersonId" TEXT NULL,
    "Mac" TEXT NULL,
    "Network" TEXT NULL,
    "Code" TEXT NOT NULL,
    "Message" TEXT NOT NULL,
    CONSTRAINT "FK_network_rejects_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_network_rejects_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_network_rejects_At" ON "network_rejects" ("At");

CREATE INDEX "IX_network_rejects_PersonId" ON "network_rejects" ("PersonId");

CREATE INDEX "IX_network_rejects_SchoolId_At" ON "network_rejects" ("SchoolId", "At");

CREATE INDEX "IX_network_rejects_SchoolId_PersonId_At" ON "network_rejects" ("SchoolId", "PersonId", "At");
