-- V0001: initial schema (sqlite). Generated from the EF model by scripts/regen-migrations.sh.
CREATE TABLE "AspNetRoles" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetRoles" PRIMARY KEY,
    "Name" TEXT NULL,
    "NormalizedName" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL
);


CREATE TABLE "AspNetUsers" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_AspNetUsers" PRIMARY KEY,
    "DisplayName" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UserName" TEXT NULL,
    "NormalizedUserName" TEXT NULL,
    "Email" TEXT NULL,
    "NormalizedEmail" TEXT NULL,
    "EmailConfirmed" INTEGER NOT NULL,
    "PasswordHash" TEXT NULL,
    "SecurityStamp" TEXT NULL,
    "ConcurrencyStamp" TEXT NULL,
    "PhoneNumber" TEXT NULL,
    "PhoneNumberConfirmed" INTEGER NOT NULL,
    "TwoFactorEnabled" INTEGER NOT NULL,
    "LockoutEnd" INTEGER NULL,
    "LockoutEnabled" INTEGER NOT NULL,
    "AccessFailedCount" INTEGER NOT NULL
);


CREATE TABLE "audit_log" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_audit_log" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NULL,
    "At" INTEGER NOT NULL,
    "Actor" TEXT NOT NULL,
    "Action" TEXT NOT NULL,
    "Subject" TEXT NULL,
    "Detail" TEXT NULL,
    "ClientAddress" TEXT NULL,
    "PreviousHash" TEXT NOT NULL,
    "Hash" TEXT NOT NULL
);


CREATE TABLE "email_log" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_email_log" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "Recipient" TEXT NOT NULL,
    "Purpose" TEXT NOT NULL,
    "PersonId" TEXT NULL,
    "At" INTEGER NOT NULL,
    "Sent" INTEGER NOT NULL,
    "Error" TEXT NULL
);


CREATE TABLE "schools" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_schools" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "CreatedAt" INTEGER NOT NULL
);


CREATE TABLE "AspNetRoleClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetRoleClaims" PRIMARY KEY AUTOINCREMENT,
    "RoleId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetRoleClaims_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserClaims" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_AspNetUserClaims" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "ClaimType" TEXT NULL,
    "ClaimValue" TEXT NULL,
    CONSTRAINT "FK_AspNetUserClaims_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserLogins" (
    "LoginProvider" TEXT NOT NULL,
    "ProviderKey" TEXT NOT NULL,
    "ProviderDisplayName" TEXT NULL,
    "UserId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserLogins" PRIMARY KEY ("LoginProvider", "ProviderKey"),
    CONSTRAINT "FK_AspNetUserLogins_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserRoles" (
    "UserId" TEXT NOT NULL,
    "RoleId" TEXT NOT NULL,
    CONSTRAINT "PK_AspNetUserRoles" PRIMARY KEY ("UserId", "RoleId"),
    CONSTRAINT "FK_AspNetUserRoles_AspNetRoles_RoleId" FOREIGN KEY ("RoleId") REFERENCES "AspNetRoles" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_AspNetUserRoles_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "AspNetUserTokens" (
    "UserId" TEXT NOT NULL,
    "LoginProvider" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Value" TEXT NULL,
    CONSTRAINT "PK_AspNetUserTokens" PRIMARY KEY ("UserId", "LoginProvider", "Name"),
    CONSTRAINT "FK_AspNetUserTokens_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE
);


CREATE TABLE "people" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_people" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "ExternalId" TEXT NOT NULL,
    "Source" TEXT NOT NULL,
    "GivenName" TEXT NOT NULL,
    "FamilyName" TEXT NOT NULL,
    "KindMask" INTEGER NOT NULL,
    "YearGroup" TEXT NULL,
    "ClassName" TEXT NULL,
    "Email" TEXT NULL,
    "JobTitle" TEXT NULL,
    "JoinedOn" TEXT NOT NULL,
    "LeftOn" TEXT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "UpdatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_people_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);


CREATE TABLE "policy_versions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_policy_versions" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "Version" TEXT NOT NULL,
    "Yaml" TEXT NOT NULL,
    "Sha256" TEXT NOT NULL,
    "ApprovedOn" TEXT NULL,
    "LoadedAt" INTEGER NOT NULL,
    "LoadedBy" TEXT NULL,
    "IsActive" INTEGER NOT NULL,
    CONSTRAINT "FK_policy_versions_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);


CREATE TABLE "acknowledgements" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_acknowledgements" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "PersonId" TEXT NOT NULL,
    "AgreementId" TEXT NOT NULL,
    "TextHash" TEXT NOT NULL,
    "At" INTEGER NOT NULL,
    "ClientAddress" TEXT NULL,
    CONSTRAINT "FK_acknowledgements_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE RESTRICT
);


CREATE TABLE "parent_links" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_parent_links" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "ParentId" TEXT NOT NULL,
    "ChildId" TEXT NOT NULL,
    "Relationship" TEXT NULL,
    CONSTRAINT "FK_parent_links_people_ChildId" FOREIGN KEY ("ChildId") REFERENCES "people" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_parent_links_people_ParentId" FOREIGN KEY ("ParentId") REFERENCES "people" ("Id") ON DELETE RESTRICT
);


CREATE TABLE "person_roles" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_person_roles" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "PersonId" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    CONSTRAINT "FK_person_roles_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE RESTRICT
);


CREATE TABLE "school_memberships" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_school_memberships" PRIMARY KEY AUTOINCREMENT,
    "UserId" TEXT NOT NULL,
    "SchoolId" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "PersonId" TEXT NULL,
    CONSTRAINT "FK_school_memberships_AspNetUsers_UserId" FOREIGN KEY ("UserId") REFERENCES "AspNetUsers" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_school_memberships_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_school_memberships_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);


CREATE TABLE "agreement_versions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_agreement_versions" PRIMARY KEY AUTOINCREMENT,
    "SchoolId" TEXT NOT NULL,
    "AgreementId" TEXT NOT NULL,
    "Title" TEXT NOT NULL,
    "TextHash" TEXT NOT NULL,
    "Text" TEXT NOT NULL,
    "PolicyVersionId" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    CONSTRAINT "FK_agreement_versions_policy_versions_PolicyVersionId" FOREIGN KEY ("PolicyVersionId") REFERENCES "policy_versions" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_agreement_versions_schools_SchoolId" FOREIGN KEY ("SchoolId") REFERENCES "schools" ("Id") ON DELETE RESTRICT
);


CREATE TABLE "countersign_tokens" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_countersign_tokens" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "TokenHash" TEXT NOT NULL,
    "ChildId" TEXT NOT NULL,
    "ParentId" TEXT NOT NULL,
    "AgreementVersionId" INTEGER NOT NULL,
    "CreatedAt" INTEGER NOT NULL,
    "ExpiresAt" INTEGER NOT NULL,
    "UsedAt" INTEGER NULL,
    CONSTRAINT "FK_countersign_tokens_agreement_versions_AgreementVersionId" FOREIGN KEY ("AgreementVersionId") REFERENCES "agreement_versions" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_countersign_tokens_people_ChildId" FOREIGN KEY ("ChildId") REFERENCES "people" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_countersign_tokens_people_ParentId" FOREIGN KEY ("ParentId") REFERENCES "people" ("Id") ON DELETE RESTRICT
);


CREATE TABLE "signatures" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_signatures" PRIMARY KEY,
    "SchoolId" TEXT NOT NULL,
    "PersonId" TEXT NOT NULL,
    "SignerId" TEXT NOT NULL,
    "Capacity" TEXT NOT NULL,
    "AgreementVersionId" INTEGER NOT NULL,
    "AgreementId" TEXT NOT NULL,
    "TextHash" TEXT NOT NULL,
    "SignedName" TEXT NOT NULL,
    "JobTitle" TEXT NULL,
    "ClassName" TEXT NULL,
    "TeacherPresent" INTEGER NOT NULL,
    "Method" TEXT NOT NULL,
    "SignedAt" INTEGER NOT NULL,
    "ClientAddress" TEXT NULL,
    "AcademicYear" TEXT NOT NULL,
    CONSTRAINT "FK_signatures_agreement_versions_AgreementVersionId" FOREIGN KEY ("AgreementVersionId") REFERENCES "agreement_versions" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_signatures_people_PersonId" FOREIGN KEY ("PersonId") REFERENCES "people" ("Id") ON DELETE RESTRICT,
    CONSTRAINT "FK_signatures_people_SignerId" FOREIGN KEY ("SignerId") REFERENCES "people" ("Id") ON DELETE RESTRICT
);


CREATE INDEX "IX_acknowledgements_PersonId_At" ON "acknowledgements" ("PersonId", "At");


CREATE INDEX "IX_agreement_versions_PolicyVersionId" ON "agreement_versions" ("PolicyVersionId");


CREATE UNIQUE INDEX "IX_agreement_versions_SchoolId_AgreementId_TextHash" ON "agreement_versions" ("SchoolId", "AgreementId", "TextHash");


CREATE INDEX "IX_AspNetRoleClaims_RoleId" ON "AspNetRoleClaims" ("RoleId");


CREATE UNIQUE INDEX "RoleNameIndex" ON "AspNetRoles" ("NormalizedName");


CREATE INDEX "IX_AspNetUserClaims_UserId" ON "AspNetUserClaims" ("UserId");


CREATE INDEX "IX_AspNetUserLogins_UserId" ON "AspNetUserLogins" ("UserId");


CREATE INDEX "IX_AspNetUserRoles_RoleId" ON "AspNetUserRoles" ("RoleId");


CREATE INDEX "EmailIndex" ON "AspNetUsers" ("NormalizedEmail");


CREATE UNIQUE INDEX "UserNameIndex" ON "AspNetUsers" ("NormalizedUserName");


CREATE INDEX "IX_audit_log_SchoolId_At" ON "audit_log" ("SchoolId", "At");


CREATE INDEX "IX_countersign_tokens_AgreementVersionId" ON "countersign_tokens" ("AgreementVersionId");


CREATE INDEX "IX_countersign_tokens_ChildId" ON "countersign_tokens" ("ChildId");


CREATE INDEX "IX_countersign_tokens_ParentId" ON "countersign_tokens" ("ParentId");


CREATE UNIQUE INDEX "IX_countersign_tokens_TokenHash" ON "countersign_tokens" ("TokenHash");


CREATE INDEX "IX_email_log_SchoolId_At" ON "email_log" ("SchoolId", "At");


CREATE INDEX "IX_parent_links_ChildId" ON "parent_links" ("ChildId");


CREATE UNIQUE INDEX "IX_parent_links_ParentId_ChildId" ON "parent_links" ("ParentId", "ChildId");


CREATE INDEX "IX_people_SchoolId_Email" ON "people" ("SchoolId", "Email");


CREATE INDEX "IX_people_SchoolId_FamilyName_GivenName" ON "people" ("SchoolId", "FamilyName", "GivenName");


CREATE UNIQUE INDEX "IX_people_SchoolId_Source_ExternalId" ON "people" ("SchoolId", "Source", "ExternalId");


CREATE UNIQUE INDEX "IX_person_roles_PersonId_Role" ON "person_roles" ("PersonId", "Role");


CREATE UNIQUE INDEX "IX_policy_versions_SchoolId_Sha256" ON "policy_versions" ("SchoolId", "Sha256");


CREATE INDEX "IX_school_memberships_PersonId" ON "school_memberships" ("PersonId");


CREATE INDEX "IX_school_memberships_SchoolId" ON "school_memberships" ("SchoolId");


CREATE UNIQUE INDEX "IX_school_memberships_UserId_SchoolId_Role" ON "school_memberships" ("UserId", "SchoolId", "Role");


CREATE INDEX "IX_signatures_AgreementVersionId" ON "signatures" ("AgreementVersionId");


CREATE INDEX "IX_signatures_PersonId" ON "signatures" ("PersonId");


CREATE INDEX "IX_signatures_SchoolId_PersonId_AgreementId" ON "signatures" ("SchoolId", "PersonId", "AgreementId");


CREATE INDEX "IX_signatures_SignerId" ON "signatures" ("SignerId");


