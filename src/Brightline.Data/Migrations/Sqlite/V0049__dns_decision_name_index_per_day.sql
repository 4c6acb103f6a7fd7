-- V0049 (issue 18 part 4): on PostgreSQL the decision log's (SchoolId, Name, At) index moves from the partitioned table
-- to each day partition once its day is over. SQLite never had that index (see V0048) and has no partitions; nothing
-- changes here. The script exists so both providers have the same versions.
SELECT 1;
