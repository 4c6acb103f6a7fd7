-- V0017: refused browser-extension enrolments (issue 12), listed on the Devices page and purged after 30 days.
-- The email as the browser gave it, the reason and when; never any key material.
CREATE TABLE extension_enrolment_refusals (
    "Id" uuid NOT NULL,
    "SchoolId" character varying(64) NOT NULL,
    "Email" character varying(320) NOT NULL,
    "DeviceName" character varying(200) NOT NULL,
    "Reason" character varying(32) NOT NULL,
    "At" timestamp with time zone NOT NULL,
    CONSTRAINT "PK_extension_enrolment_refusals" PRIMARY KEY ("Id"),
    CONSTRAINT "FK_extension_enrolment_refusals_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES schools ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_extension_enrolment_refusals_At" ON extension_enrolment_refusals ("At");

CREATE INDEX "IX_extension_enrolment_refusals_SchoolId_At" ON extension_enrolment_refusals ("SchoolId", "At");
