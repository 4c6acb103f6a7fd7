-- V0040 (issue 15, F4): for a personal data breach that was an email sent in error, whether the personal data was in
-- an attachment and whether that attachment was encrypted (no_attachment, encrypted, not_encrypted, not_known).
-- Null = not an email sent in error, or not recorded (every incident recorded before this).
ALTER TABLE "incidents" ADD COLUMN "MisdirectedEmail" TEXT NULL;
