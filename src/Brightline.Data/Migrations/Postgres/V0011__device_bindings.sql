-- V0011: sign-in bindings of device addresses to people (issue 3, section 2), shared between the portal
-- process and a DNS filter running as its own process. Rows lapse at "Until" and are purged by the filter.
CREATE TABLE device_bindings (
    "Address" character varying(45) NOT NULL,
    "SchoolId" character varying(64) NOT NULL,
    "PersonId" uuid NOT NULL,
    "BoundAt" timestamp with time zone NOT NULL,
    "Until" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_device_bindings" PRIMARY KEY ("Address"),
    CONSTRAINT "FK_device_bindings_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES people ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_device_bindings_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES schools ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_device_bindings_PersonId" ON device_bindings ("PersonId");

CREATE INDEX "IX_device_bindings_SchoolId" ON device_bindings ("SchoolId");

CREATE INDEX "IX_device_bindings_Until" ON device_bindings ("Until");
