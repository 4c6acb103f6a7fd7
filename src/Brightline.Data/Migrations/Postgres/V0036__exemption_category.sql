-- V0036: the filtering category an exemption relaxes (O3, W4; issue 15 part 5), when the approval names a category
-- rather than a filter rule: the filter relaxes exactly that category for the person until the approval ends.
ALTER TABLE approval_requests ADD "Category" character varying(64);
