-- V0019: tamper evidence for the browser extension (issue 12, point 6). Each enrolled browser's last heartbeat,
-- when its current silence was alerted (one alert per silence), and when it reported the extension removed.
ALTER TABLE extension_tokens ADD COLUMN "LastHeartbeatAt" timestamp with time zone;

ALTER TABLE extension_tokens ADD COLUMN "SilenceAlertedAt" timestamp with time zone;

ALTER TABLE extension_tokens ADD COLUMN "RemovedAt" timestamp with time zone;
