-- V0022: the network a RADIUS-accounted device is on (issue 13, "where as well as who"): the policy's network name,
-- from the accounting request's NAS-Identifier or SSID, so the DNS filter applies that network's location rules
-- (opening hours, a location's filtering profile) to the person. Null for a portal sign-in (the network is not known).
ALTER TABLE device_bindings ADD COLUMN "Network" character varying(64) NULL;
