-- V0026: personal-device and removable-media requests (issue 14, point 2; W3, H3, O19, F5, F7, C17, C20): who asked for
-- whose device, what they attested, the decision, the approval's expiry and the register row created on approval.
CREATE TABLE device_requests (
    "Id" uuid NOT NULL,
    "SchoolId" character varying(64) NOT NULL,
    "PersonId" uuid NOT NULL,
    "RequestedByUserId" character varying(450) NOT NULL,
    "RequestedByName" character varying(256) NOT NULL,
    "RequestedByEmail" character varying(256),
    "RequestedAs" character varying(16) NOT NULL,
    "Kind" character varying(32) NOT NULL,
    "DeviceKind" character varying(24) NOT NULL,
    "Description" character varying(300) NOT NULL,
    "MakeModel" character varying(200),
    "Serial" character varying(100),
    "Macs" character varying(200) NOT NULL,
    "Reason" character varying(2000) NOT NULL,
    "Attestations" character varying(200) NOT NULL,
    "AttestedBy" character varying(256),
    "Requirement" character varying(32),
    "State" character varying(16) NOT NULL,
    "CreatedAt" timestamp with time zone NOT NULL,
    "DecidedBy" character varying(256),
    "DecidedAt" timestamp with time zone,
    "DecisionNote" character varying(2000),
    "ExpiresAt" timestamp with time zone,
    "DeviceId" uuid,
    "RenewsRequestId" uuid,
    "RenewalRemindedAt" timestamp with time zone,
    CONSTRAINT "PK_device_requests" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_device_requests_device_requests_RenewsRequestId" FOREIGN KEY ("RenewsRequestId") REFERENCES device_requests ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_device_requests_devices_DeviceId" FOREIGN KEY ("DeviceId") REFERENCES devices ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_device_requests_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES people ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_device_requests_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES schools ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_device_requests_DeviceId" ON device_requests ("DeviceId");

CREATE INDEX "IX_device_requests_PersonId" ON device_requests ("PersonId");

CREATE INDEX "IX_device_requests_RenewsRequestId" ON device_requests ("RenewsRequestId");

CREATE INDEX "IX_device_requests_SchoolId_PersonId" ON device_requests ("SchoolId", "PersonId");

CREATE INDEX "IX_device_requests_SchoolId_State_CreatedAt" ON device_requests ("SchoolId", "State", "CreatedAt");

CREATE INDEX "IX_device_requests_State_ExpiresAt" ON device_requests ("State", "ExpiresAt");
