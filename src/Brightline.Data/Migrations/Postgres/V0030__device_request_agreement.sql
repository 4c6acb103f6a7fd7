-- V0030: O19 (Omnicom): who agreed to a device-request rule's agreement, when, and the words they agreed to (kept as
-- text, not a hash, so the request shows what was agreed after the policy is reworded). Null when the rule had none.
ALTER TABLE device_requests ADD COLUMN "AgreementAcceptedAt" timestamp with time zone NULL;
ALTER TABLE device_requests ADD COLUMN "AgreementAcceptedBy" character varying(256) NULL;
ALTER TABLE device_requests ADD COLUMN "AgreementText" text NULL;
