using Brightline.Policy.CalendarFiles;
using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>Issue 15: term dates imported from iCalendar (RFC 5545) and CSV files, with every bad line reported at its line.</summary>
public sealed class CalendarFileTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    private const string Ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//EN\r\n"
        + "BEGIN:VEVENT\r\nSUMMARY:Autumn Term 2027\r\nDTSTART;VALUE=DATE:20270902\r\nDTEND;VALUE=DATE:20271218\r\nEND:VEVENT\r\n"
        + "BEGIN:VEVENT\r\nSUMMARY:October Half\r\n  Term\r\nDTSTART;VALUE=DATE:20271025\r\nDTEND;VALUE=DATE:20271030\r\nEND:VEVENT\r\n"
        + "BEGIN:VEVENT\r\nSUMMARY:INSET day\\, staff training\r\nDTSTART;VALUE=DATE:20270902\r\nEND:VEVENT\r\n"
        + "BEGIN:VEVENT\r\nSUMMARY:Polling day (school closed)\r\nDTSTART;TZID=\"Europe/London\":20280504T000000\r\nDTEND;TZID=\"Europe/London\":20280505T000000\r\nEND:VEVENT\r\n"
        + "END:VCALENDAR\r\n";

    [Fact]
    public void ICalendar_AllDayEvents_DtEndExclusive_FoldedSummaryUnfolded_KindsFromNames()
    {
        var result = ICalendarReader.Read(Ics);

        result.Problems.ShouldBeEmpty();
        result.Entries.ShouldBe([
            new CalendarEntry(CalendarEntryKind.Term, "Autumn Term 2027", D(2027, 9, 2), D(2027, 12, 17), 4),
            new CalendarEntry(CalendarEntryKind.HalfTerm, "October Half Term", D(2027, 10, 25), D(2027, 10, 29), 9),
            new CalendarEntry(CalendarEntryKind.Inset, "INSET day, staff training", D(2027, 9, 2), D(2027, 9, 2), 15),
            new CalendarEntry(CalendarEntryKind.Closure, "Polling day (school closed)", D(2028, 5, 4), D(2028, 5, 4), 19),
        ]);
    }

    [Fact]
    public void ICalendar_Unfold_SpaceOrTabContinuesTheLine_KeepsTheFirstLineNumber()
    {
        ICalendarReader.Unfold("A:1\r\nB:long\r\n  er\r\n\tend\r\nC:3").ShouldBe([("A:1", 1), ("B:long erend", 2), ("C:3", 5)]);
    }

    [Fact]
    public void ICalendar_BadLines_EachAProblemAtItsLine_TheOtherEventsStillRead()
    {
        var text = "BEGIN:VCALENDAR\n"
            + "BEGIN:VEVENT\nSUMMARY:Spring Term\nDTSTART;VALUE=DATE:20280104\nDTEND;VALUE=DATE:20280325\nEND:VEVENT\n"
            + "this line has no colon\n"
            + "BEGIN:VEVENT\nSUMMARY:Summer Term\nDTSTART;VALUE=DATE:2028-04-10\nEND:VEVENT\n"
            + "BEGIN:VEVENT\nSUMMARY:Sports day\nDTSTART;VALUE=DATE:20280612\nEND:VEVENT\n"
            + "BEGIN:VEVENT\nSUMMARY:Half term\nDTSTART;VALUE=DATE:20280529\nDTEND;VALUE=DATE:20280520\nEND:VEVENT\n"
            + "BEGIN:VEVENT\nSUMMARY:Staff training\nDTSTART;VALUE=DATE:20280104\nRRULE:FREQ=YEARLY\nEND:VEVENT\n"
            + "BEGIN:VEVENT\nSUMMARY:Bank holiday\nDTSTART;VALUE=DATE:20280501\n";

        var result = ICalendarReader.Read(text);

        result.Entries.ShouldHaveSingleItem().Name.ShouldBe("Spring Term");
        result.Problems.Select(p => p.Line).ShouldBe([7, 10, 12, 19, 24, 28]);
        result.Problems[0].Message.ShouldContain("not an iCalendar content line");
        result.Problems[1].Message.ShouldContain("DTSTART '2028-04-10'");
        result.Problems[2].Message.ShouldContain("cannot tell what 'Sports day' is");
        result.Problems[3].Message.ShouldContain("ends before it starts");
        result.Problems[4].Message.ShouldContain("repeating events");
        result.Problems[5].Message.ShouldContain("END:VEVENT missing");
    }

    [Fact]
    public void ICalendar_NotACalendar_ProblemAtLine1()
    {
        ICalendarReader.Read("hello: world").Problems.ShouldHaveSingleItem().ShouldBe(new CalendarFileProblem(1, "not an iCalendar file: no BEGIN:VCALENDAR"));
    }

    [Fact]
    public void Csv_HeaderKindNameStartEnd_QuotedNames_UkDates_BadRowsAtTheirLines()
    {
        var result = CsvCalendarReader.Read("kind,name,start,end\nterm,Autumn 2027,2027-09-02,2027-12-17\nhalf_term,October half term,25/10/2027,29/10/2027\n"
            + "closure,\"Polling day, hall in use\",2028-05-04,\ninset,INSET,2027-09-31,\nholiday,Christmas,2027-12-20,2028-01-03\n,Spring Term,2028-01-04,2028-03-24\n");

        result.Entries.Select(e => (e.Kind, e.Name, e.Start, e.End, e.Line)).ShouldBe([
            (CalendarEntryKind.Term, "Autumn 2027", D(2027, 9, 2), D(2027, 12, 17), 2),
            (CalendarEntryKind.HalfTerm, "October half term", D(2027, 10, 25), D(2027, 10, 29), 3),
            (CalendarEntryKind.Closure, "Polling day, hall in use", D(2028, 5, 4), D(2028, 5, 4), 4),
            (CalendarEntryKind.Term, "Spring Term", D(2028, 1, 4), D(2028, 3, 24), 7),
        ]);
        result.Problems.ShouldBe([
            new CalendarFileProblem(5, "start '2027-09-31' is not a date (YYYY-MM-DD)"),
            new CalendarFileProblem(6, "kind 'holiday' is not one of term, half_term, inset, closure, bank_holiday"),
        ]);
        CsvCalendarReader.Read("name,start\nx,2027-01-01\n").Problems[0].Line.ShouldBe(1);
    }

    [Fact]
    public void Merge_HalfTermJoinsItsTerm_OverlappingTermIsAProblem_UncomputedBankHolidayBecomesAClosure()
    {
        var calendar = new AcademicCalendar { Terms = [new Term { Name = "Summer 2027", Start = D(2027, 4, 12), End = D(2027, 7, 21) }] };
        CalendarEntry[] entries =
        [
            new(CalendarEntryKind.Term, "Autumn 2027", D(2027, 9, 2), D(2027, 12, 17), 3),
            new(CalendarEntryKind.Term, "Summer again", D(2027, 7, 1), D(2027, 7, 30), 8),
            new(CalendarEntryKind.HalfTerm, "Half term", D(2027, 10, 25), D(2027, 10, 29), 13),
            new(CalendarEntryKind.HalfTerm, "Christmas half term?", D(2027, 12, 20), D(2027, 12, 24), 14),
            new(CalendarEntryKind.BankHoliday, "Early May bank holiday", D(2027, 5, 3), D(2027, 5, 3), 20),
            new(CalendarEntryKind.BankHoliday, "Bank holiday for the coronation", D(2027, 5, 7), D(2027, 5, 7), 25),
            new(CalendarEntryKind.Inset, "INSET", D(2027, 9, 2), D(2027, 9, 3), 30),
        ];

        var (merged, problems) = CalendarImport.Merge(calendar, entries);

        problems.ShouldHaveSingleItem().Line.ShouldBe(8);
        merged.Terms.Select(t => t.Name).ShouldBe(["Summer 2027", "Autumn 2027"]);
        merged.Terms[1].HalfTerm.ShouldBe(new DateRange(D(2027, 10, 25), D(2027, 10, 29)));
        merged.Closures.ShouldBe([new CalendarClosure("Christmas half term?", D(2027, 12, 20), D(2027, 12, 24)), new CalendarClosure("Bank holiday for the coronation", D(2027, 5, 7), D(2027, 5, 7))]);
        merged.InsetDays.ShouldBe([D(2027, 9, 2), D(2027, 9, 3)]);
        merged.IsSchoolDay(D(2027, 9, 6)).ShouldBeTrue();
        merged.IsSchoolDay(D(2027, 10, 27)).ShouldBeFalse();
    }

    private static string PolicyWithFile(string file) => PolicyLoaderTests.Valid.Replace(
        "    academic_year_start: \"09-01\"\n", "    academic_year_start: \"09-01\"\n    file: " + file + "\n", StringComparison.Ordinal);

    [Fact]
    public void Load_SampleIcsBesideTheExamplePolicy_MergedIntoTheCalendar()
    {
        var policyPath = Path.Combine(RepoFiles.PoliciesDir, "calendar-test.yaml");
        var result = PolicyLoader.Load(PolicyWithFile("calendars/example.ics"), policyPath);

        result.Errors.ShouldBeEmpty();
        var calendar = result.Policy.ShouldNotBeNull().School.Calendar;
        calendar.File.ShouldBe("calendars/example.ics");
        calendar.Terms.Select(t => t.Name).ShouldBe(["Autumn Term 2027", "Spring Term 2028", "Summer Term 2028"]);
        calendar.Terms[0].HalfTerm.ShouldBe(new DateRange(D(2027, 10, 25), D(2027, 10, 29)));
        calendar.InsetDays.ShouldBe([D(2027, 9, 2)]);
        calendar.IsSchoolDay(D(2027, 9, 2)).ShouldBeFalse();
        calendar.IsSchoolDay(D(2027, 9, 3)).ShouldBeTrue();
    }

    [Fact]
    public void Load_MissingFile_ErrorAtTheFileKey_BadFileLine_ErrorNamesTheCalendarFileAndLine()
    {
        var missing = PolicyLoader.Load(PolicyWithFile("calendars/nowhere.ics"), Path.Combine(RepoFiles.PoliciesDir, "t.yaml")).Errors.ShouldHaveSingleItem();
        missing.Line.ShouldBe(7);
        missing.Column.ShouldBe(11);
        missing.Message.ShouldContain("calendar file 'calendars/nowhere.ics' not found");

        var dir = Directory.CreateTempSubdirectory("brightline-cal-");
        try
        {
            File.WriteAllText(Path.Combine(dir.FullName, "dates.csv"), "kind,name,start,end\nterm,Autumn,2027-09-02,2027-12-17\nterm,Spring,2028-13-01,\n");
            var bad = PolicyLoader.Load(PolicyWithFile("dates.csv"), Path.Combine(dir.FullName, "policy.yaml")).Errors.ShouldHaveSingleItem();
            bad.ToString().ShouldBe($"{Path.Combine(dir.FullName, "dates.csv")}:3:1: start '2028-13-01' is not a date (YYYY-MM-DD)");
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Embed_CopiesTheFileUnderFileContent_SoTheStoredVersionLoadsWithoutTheFile()
    {
        var policyPath = Path.Combine(RepoFiles.PoliciesDir, "calendar-test.yaml");
        var embedded = PolicyLoader.WithCalendarFileEmbedded(PolicyWithFile("calendars/example.ics"), policyPath);

        embedded.ShouldContain("    file_content: |2\n      BEGIN:VCALENDAR\n");
        PolicyLoader.WithCalendarFileEmbedded(embedded, policyPath).ShouldBe(embedded);
        var stored = PolicyLoader.Load(embedded, "school@1.yaml");
        stored.Errors.ShouldBeEmpty();
        var calendar = stored.Policy.ShouldNotBeNull().School.Calendar;
        calendar.Terms.Count.ShouldBe(3);
        // The folded INSET summary survives the block scalar (its continuation line starts with a space).
        calendar.InsetDays.ShouldBe([D(2027, 9, 2)]);
        PolicyLoader.WithCalendarFileEmbedded(PolicyLoaderTests.Valid, policyPath).ShouldBe(PolicyLoaderTests.Valid);
    }
}
