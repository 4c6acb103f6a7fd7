-- V0017: refused browser-extension enrolments (issue 12), listed on the Devices page and purged after 30 days.
-- The email as the browser gave it, the reason and when; never any key material.
CREATE TABLE "extension_enrolment_refusals" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_extension_enrolment_refusals" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "Email" TEXT NOT NULL,
    "DeviceName" TEXT NOT NULL,
    "Reason" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    CONSTRAINT "FK_extension_enrolment_refusals_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);

CREATE INDEX "IX_extension_enrolment_refusals_At" ON "extension_enrolment_refusals" ("At");

CREATE INDEX "IX_extension_enrolment_refusals_SchoolId_At" ON "extension_enrolment_refusals" ("SchoolId", "At");
