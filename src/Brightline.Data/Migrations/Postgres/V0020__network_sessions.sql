-- V0020: network sessions from RADIUS accounting and refused network sign-ins (issue 13), for the Network page,
-- the person's page and Disconnect-Request. Never a password or a shared secret.
CREATE TABLE network_sessions (
    "Id" uuid NOT NULL,
    "SchoolId" character varying(64) NOT NULL,
    "Nas" character varying(253) NOT NULL,
    "NasAddress" character varying(45) NULL,
    "NasIdentifier" character varying(253) NULL,
    "AcctSessionId" character varying(253) NOT NULL,
    "Network" character varying(64) NULL,
    "UserName" character varying(253) NOT NULL,
    "PersonId" uuid NULL,
    "Mac" character varying(64) NULL,
    "Address" character varying(45) NULL,
    "Vlan" character varying(32) NULL,
    "StartedAt" timestamp with time zone NOT NULL,
    "UpdatedAt" timestamp with time zone NOT NULL,
    "EndedAt" timestamp with time zone NULL,
    "EndReason" character varying(64) NULL,
    CONSTRAINT "PK_network_sessions" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_network_sessions_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES people ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_network_sessions_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES schools ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_network_sessions_PersonId" ON network_sessions ("PersonId");

CREATE INDEX "IX_network_sessions_SchoolId_EndedAt" ON network_sessions ("SchoolId", "EndedAt");

CREATE UNIQUE INDEX "IX_network_sessions_SchoolId_Nas_AcctSessionId" ON network_sessions ("SchoolId", "Nas", "AcctSessionId");

CREATE INDEX "IX_network_sessions_SchoolId_PersonId" ON network_sessions ("SchoolId", "PersonId");

CREATE INDEX "IX_network_sessions_UpdatedAt" ON network_sessions ("UpdatedAt");

CREATE TABLE network_rejects (
    "Id" uuid NOT NULL,
    "SchoolId" character varying(64) NOT NULL,
    "At" timestamp with time zone NOT NULL,
    "UserName" character varying(253) NOT NULL,
    "PersonId" uuid NULL,
    "Mac" character varying(64) NULL,
    "Network" character varying(64) NULL,
    "Code" character varying(64) NOT NULL,
    "Message" character varying(500) NOT NULL,
    CONSTRAINT "PK_network_rejects" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_network_rejects_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES people ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_network_rejects_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES schools ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_network_rejects_At" ON network_rejects ("At");

CREATE INDEX "IX_network_rejects_PersonId" ON network_rejects ("PersonId");

CREATE INDEX "IX_network_rejects_SchoolId_At" ON network_rejects ("SchoolId", "At");

CREATE INDEX "IX_network_rejects_SchoolId_PersonId_At" ON network_rejects ("SchoolId", "PersonId", "At");
