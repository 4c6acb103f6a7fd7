-- V0039 (issue 15 part 4): the extra MIS columns the policy's attributes: maps, kept on each person as a JSON object
-- (house, boarding, SEN …) so groups can be defined by them; and, on each signature, the answers to the agreement's
-- questions (JSON object) and the child a parent named on their own agreement (O13). Null = none.
ALTER TABLE people ADD COLUMN "Attributes" character varying(4000) NULL;
ALTER TABLE signatures ADD COLUMN "Answers" text NULL;
ALTER TABLE signatures ADD COLUMN "ChildName" character varying(200) NULL;
