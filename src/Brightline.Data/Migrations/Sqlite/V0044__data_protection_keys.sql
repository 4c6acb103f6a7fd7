-- V0044 (issue 18 part 3, several nodes): ASP.NET Data Protection's key ring in the database, so every portal node
-- reads the sign-in cookies and antiforgery tokens the others issue.
CREATE TABLE "data_protection_keys" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_data_protection_keys" PRIMARY KEY AUTOINCREMENT,
    "FriendlyName" TEXT NULL,
    "Xml" TEXT NOT NULL
);
