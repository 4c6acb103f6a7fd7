-- V0041 (issue 15): O5, the portal role an access-change request asks for (granted when approved); O15, the policy's
-- sanction reason (password_disclosed) a sanction was imposed for, so the register can say why without parsing text.
ALTER TABLE "approval_requests" ADD COLUMN "Role" TEXT NULL;
ALTER TABLE "sanctions" ADD COLUMN "ReasonKey" TEXT NULL;
