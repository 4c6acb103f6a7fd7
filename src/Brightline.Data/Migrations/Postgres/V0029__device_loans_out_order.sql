-- V0029: the loan book in its default order (newest out first) from an index, so a school's 50,000 loans page, late
-- page and export without sorting them all (issue 14's "done when": pages under 300 ms; bench/devices/run.sh).
CREATE INDEX "IX_device_loans_SchoolId_OutAt_Id" ON device_loans ("SchoolId", "OutAt", "Id");
