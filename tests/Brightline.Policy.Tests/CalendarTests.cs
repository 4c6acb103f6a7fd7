using Brightline.Policy.Model;

namespace Brightline.Policy.Tests;

/// <summary>
/// Issue 15's school calendar: bank holidays computed from the statutory rules (checked against the dates gov.uk
/// publishes), school days (O7: Christmas Day is not one), <see cref="CalendarDuration"/> (H15's "one term", C16's
/// "half term"), and the policy checks with their positions.
/// </summary>
public sealed class CalendarTests
{
    private static DateOnly D(int y, int m, int d) => new(y, m, d);

    private static List<DateOnly> Dates(BankHolidayRegion region, int year) => UkBankHolidays.For(region, year).Select(h => h.Date).ToList();

    [Theory]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)]
    [InlineData(2285, 3, 22)]
    public void Easter_AnonymousGregorianAlgorithm_KnownSundays(int year, int month, int day) =>
        UkBankHolidays.Easter(year).ShouldBe(D(year, month, day));

    [Fact]
    public void BankHolidays_EnglandAndWales_2025To2027_AsPublishedOnGovUk()
    {
        Dates(BankHolidayRegion.EnglandAndWales, 2025).ShouldBe([D(2025, 1, 1), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26), D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)]);
        // Boxing Day 2026 is a Saturday: its substitute is Monday 28 December.
        Dates(BankHolidayRegion.EnglandAndWales, 2026).ShouldBe([D(2026, 1, 1), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25), D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28)]);
        // Christmas 2027 is a Saturday and Boxing Day a Sunday: substitutes Monday 27 and Tuesday 28.
        Dates(BankHolidayRegion.EnglandAndWales, 2027).ShouldBe([D(2027, 1, 1), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31), D(2027, 8, 30), D(2027, 12, 27), D(2027, 12, 28)]);
        UkBankHolidays.On(BankHolidayRegion.EnglandAndWales, D(2027, 12, 27)).ShouldNotBeNull().Name.ShouldBe("Christmas Day (substitute day)");
    }

    [Fact]
    public void BankHolidays_Scotland_2025To2027_SecondJanuaryStAndrewsFirstMondayOfAugust_NoEasterMonday()
    {
        // St Andrew's Day 2025 is a Sunday: Monday 1 December.
        Dates(BankHolidayRegion.Scotland, 2025).ShouldBe([D(2025, 1, 1), D(2025, 1, 2), D(2025, 4, 18), D(2025, 5, 5), D(2025, 5, 26), D(2025, 8, 4), D(2025, 12, 1), D(2025, 12, 25), D(2025, 12, 26)]);
        Dates(BankHolidayRegion.Scotland, 2026).ShouldBe([D(2026, 1, 1), D(2026, 1, 2), D(2026, 4, 3), D(2026, 5, 4), D(2026, 5, 25), D(2026, 8, 3), D(2026, 11, 30), D(2026, 12, 25), D(2026, 12, 28)]);
        // 2 January 2027 is a Saturday: Monday 4 January.
        Dates(BankHolidayRegion.Scotland, 2027).ShouldBe([D(2027, 1, 1), D(2027, 1, 4), D(2027, 3, 26), D(2027, 5, 3), D(2027, 5, 31), D(2027, 8, 2), D(2027, 11, 30), D(2027, 12, 27), D(2027, 12, 28)]);
    }

    [Fact]
    public void BankHolidays_NorthernIreland_2025To2027_StPatricksAndTwelfthWithSubstitutes()
    {
        Dates(BankHolidayRegion.NorthernIreland, 2025).ShouldBe([D(2025, 1, 1), D(2025, 3, 17), D(2025, 4, 18), D(2025, 4, 21), D(2025, 5, 5), D(2025, 5, 26), D(2025, 7, 14), D(2025, 8, 25), D(2025, 12, 25), D(2025, 12, 26)]);
        Dates(BankHolidayRegion.NorthernIreland, 2026).ShouldBe([D(2026, 1, 1), D(2026, 3, 17), D(2026, 4, 3), D(2026, 4, 6), D(2026, 5, 4), D(2026, 5, 25), D(2026, 7, 13), D(2026, 8, 31), D(2026, 12, 25), D(2026, 12, 28)]);
        Dates(BankHolidayRegion.NorthernIreland, 2027).ShouldBe([D(2027, 1, 1), D(2027, 3, 17), D(2027, 3, 26), D(2027, 3, 29), D(2027, 5, 3), D(2027, 5, 31), D(2027, 7, 12), D(2027, 8, 30), D(2027, 12, 27), D(2027, 12, 28)]);
        UkBankHolidays.For(BankHolidayRegion.None, 2026).ShouldBeEmpty();
    }

    [Fact]
    public void BankHolidays_ChristmasOnSunday_BoxingDayKeepsMondayAndChristmasMovesToTuesday()
    {
        // 2022, as gov.uk lists it.
        UkBankHolidays.On(BankHolidayRegion.EnglandAndWales, D(2022, 12, 26)).ShouldNotBeNull().Name.ShouldBe("Boxing Day");
        UkBankHolidays.On(BankHolidayRegion.EnglandAndWales, D(2022, 12, 27)).ShouldNotBeNull().Name.ShouldBe("Christmas Day (substitute day)");
    }

    private static readonly AcademicCalendar s_terms = new()
    {
        Terms =
        [
            new Term { Name = "Autumn 2026", Start = D(2026, 9, 3), End = D(2026, 12, 18), HalfTerm = new DateRange(D(2026, 10, 26), D(2026, 10, 30)) },
            new Term { Name = "Spring 2027", Start = D(2027, 1, 4), End = D(2027, 3, 25), HalfTerm = new DateRange(D(2027, 2, 15), D(2027, 2, 19)) },
            new Term { Name = "Summer 2027", Start = D(2027, 4, 12), End = D(2027, 7, 21), HalfTerm = new DateRange(D(2027, 5, 31), D(2027, 6, 4)) },
        ],
        InsetDays = [D(2026, 9, 3)],
        Closures = [new CalendarClosure("Polling day", D(2027, 5, 6), D(2027, 5, 6))],
    };

    [Fact]
    public void IsSchoolDay_WithoutTerms_WeekdaysLessBankHolidays_O7ChristmasIsNotASchoolDay()
    {
        var calendar = new AcademicCalendar();

        calendar.IsSchoolDay(D(2026, 12, 25)).ShouldBeFalse();
        calendar.IsSchoolDay(D(2026, 12, 28)).ShouldBeFalse();
        calendar.IsSchoolDay(D(2026, 12, 22)).ShouldBeTrue();
        calendar.IsSchoolDay(D(2026, 12, 26)).ShouldBeFalse();
        (calendar with { BankHolidays = BankHolidayRegion.None }).IsSchoolDay(D(2026, 12, 25)).ShouldBeTrue();
    }

    [Fact]
    public void IsSchoolDay_WithTerms_InsetClosureHalfTermHolidayAndBankHolidayAreNot()
    {
        s_terms.Classify(D(2026, 9, 3)).ShouldBe(DayKind.InsetDay);
        s_terms.IsSchoolDay(D(2026, 9, 4)).ShouldBeTrue();
        s_terms.Classify(D(2026, 10, 27)).ShouldBe(DayKind.HalfTermHoliday);
        s_terms.Classify(D(2026, 12, 22)).ShouldBe(DayKind.Holiday);
        s_terms.Classify(D(2027, 5, 6)).ShouldBe(DayKind.Closure);
        s_terms.Classify(D(2027, 5, 3)).ShouldBe(DayKind.BankHoliday);
        s_terms.Classify(D(2027, 5, 8)).ShouldBe(DayKind.Weekend);
        s_terms.NextSchoolDay(D(2026, 12, 19)).ShouldBe(D(2027, 1, 4));
    }

    [Fact]
    public void TermHalves_SplitAtTheHalfTermHoliday_NextBoundaryIsTheFirstDayBack()
    {
        var halves = s_terms.TermHalves();

        halves.Count.ShouldBe(6);
        halves[0].ShouldBe(new TermHalf(s_terms.Terms[0], 1, D(2026, 9, 3), D(2026, 10, 25)));
        halves[1].Start.ShouldBe(D(2026, 11, 2));
        s_terms.HalfTermContaining(D(2026, 11, 25)).ShouldNotBeNull().Half.ShouldBe(2);
        s_terms.HalfTermContaining(D(2026, 10, 28)).ShouldBeNull();
        s_terms.NextHalfTermBoundary(D(2026, 9, 10)).ShouldBe(D(2026, 11, 2));
        s_terms.NextHalfTermBoundary(D(2026, 11, 25)).ShouldBe(D(2027, 1, 4));
        s_terms.NextHalfTermBoundary(D(2027, 6, 10)).ShouldBeNull();
        s_terms.TermContaining(D(2027, 2, 1)).ShouldNotBeNull().Name.ShouldBe("Spring 2027");
    }

    [Theory]
    [InlineData("30 days", 30, CalendarUnit.Days)]
    [InlineData("30d", 30, CalendarUnit.Days)]
    [InlineData("1 day", 1, CalendarUnit.Days)]
    [InlineData("2 weeks", 2, CalendarUnit.Weeks)]
    [InlineData("1 term", 1, CalendarUnit.Terms)]
    [InlineData("2 Terms", 2, CalendarUnit.Terms)]
    [InlineData("half a term", 1, CalendarUnit.HalfTerms)]
    [InlineData("1 half term", 1, CalendarUnit.HalfTerms)]
    [InlineData("2  half terms", 2, CalendarUnit.HalfTerms)]
    public void CalendarDuration_Parse_SchoolWordings(string text, int count, CalendarUnit unit) =>
        CalendarDuration.Parse(text).ShouldBe(new CalendarDuration(count, unit));

    [Theory]
    [InlineData("")]
    [InlineData("0 days")]
    [InlineData("a term and a bit")]
    [InlineData("3 fortnights")]
    [InlineData("-1 term")]
    public void CalendarDuration_TryParse_Nonsense_FalseWithMessage(string text)
    {
        CalendarDuration.TryParse(text, out _, out var error).ShouldBeFalse();
        error.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public void CalendarDuration_EndFrom_TermsEndAtTheEndOfTheNthTermCountingThisOne_H15()
    {
        var term = CalendarDuration.Parse("1 term");

        term.EndFrom(D(2026, 11, 25), s_terms).ShouldBe(D(2026, 12, 18));
        // In the Christmas holidays: counts from the spring term.
        term.EndFrom(D(2026, 12, 22), s_terms).ShouldBe(D(2027, 3, 25));
        new CalendarDuration(2, CalendarUnit.Terms).EndFrom(D(2026, 11, 25), s_terms).ShouldBe(D(2027, 3, 25));
        // The calendar does not reach: null, never a guess.
        new CalendarDuration(4, CalendarUnit.Terms).EndFrom(D(2026, 11, 25), s_terms).ShouldBeNull();
        term.EndFrom(D(2026, 11, 25), new AcademicCalendar()).ShouldBeNull();
        term.EndName(D(2026, 11, 25), s_terms).ShouldBe("Autumn 2026");
    }

    [Fact]
    public void CalendarDuration_EndFrom_HalfTermsEndAtTheNextHalfTermHoliday_C16()
    {
        var half = CalendarDuration.Parse("half a term");

        half.EndFrom(D(2026, 9, 10), s_terms).ShouldBe(D(2026, 10, 25));
        half.EndFrom(D(2026, 10, 28), s_terms).ShouldBe(D(2026, 12, 18));
        CalendarDuration.Parse("2 half terms").EndFrom(D(2026, 9, 10), s_terms).ShouldBe(D(2026, 12, 18));
        half.EndName(D(2026, 9, 10), s_terms).ShouldBe("Autumn 2026, first half");
        CalendarDuration.Parse("30 days").EndFrom(D(2026, 9, 10), s_terms).ShouldBe(D(2026, 10, 10));
        CalendarDuration.Parse("2 weeks").EndFrom(D(2026, 9, 10), new AcademicCalendar()).ShouldBe(D(2026, 9, 24));
        half.ToString().ShouldBe("half a term");
        CalendarDuration.Parse("2 terms").ToString().ShouldBe("2 terms");
    }

    private static string Policy(string calendar) => PolicyLoaderTests.Valid.Replace(
        "    academic_year_start: \"09-01\"\n", "    academic_year_start: \"09-01\"\n" + calendar, StringComparison.Ordinal);

    [Fact]
    public void Load_InsetClosuresAndRegion_BuildTheModel()
    {
        var result = PolicyLoader.Load(Policy("""
                bank_holidays: scotland
                inset_days: [2026-09-03, 2027-01-04]
                closures:
                  - { name: Polling day, date: 2027-05-06 }
                  - { name: Snow, start: 2027-01-11, end: 2027-01-12 }

            """), "test.yaml");

        result.Errors.ShouldBeEmpty();
        var calendar = result.Policy.ShouldNotBeNull().School.Calendar;
        calendar.BankHolidays.ShouldBe(BankHolidayRegion.Scotland);
        calendar.BankHolidaysDefaulted.ShouldBeFalse();
        calendar.InsetDays.ShouldBe([D(2026, 9, 3), D(2027, 1, 4)]);
        calendar.Closures.ShouldBe([new CalendarClosure("Polling day", D(2027, 5, 6), D(2027, 5, 6)), new CalendarClosure("Snow", D(2027, 1, 11), D(2027, 1, 12))]);
        calendar.IsSchoolDay(D(2027, 1, 12)).ShouldBeFalse();
    }

    [Fact]
    public void Load_NoBankHolidaysKey_EnglandAndWalesByDefault()
    {
        var calendar = PolicyLoader.Load(PolicyLoaderTests.Valid, "test.yaml").Policy.ShouldNotBeNull().School.Calendar;

        calendar.BankHolidays.ShouldBe(BankHolidayRegion.EnglandAndWales);
        calendar.BankHolidaysDefaulted.ShouldBeTrue();
    }

    [Fact]
    public void Check_UnknownRegion_ErrorAtItsPosition()
    {
        var errors = PolicyLoader.Load(Policy("    bank_holidays: wales\n"), "test.yaml").Errors;

        errors.Count.ShouldBe(1);
        errors[0].ToString().ShouldStartWith("test.yaml:7:20: ");
        errors[0].Message.ShouldContain("england-and-wales");
    }

    [Fact]
    public void Check_BadClosuresAndInsetDays_ErrorsWithPositions()
    {
        var errors = PolicyLoader.Load(Policy("""
                inset_days: [2026-02-30, 2026-09-04, 2026-09-04, 1999-09-06]
                closures:
                  - { name: Both, date: 2027-05-06, start: 2027-05-06, end: 2027-05-07 }
                  - { name: Backwards, start: 2027-05-06, end: 2027-05-01 }
                  - { name: Nothing }
                  - { name: Forever, start: 2027-01-01, end: 2029-01-01 }

            """), "test.yaml").Errors.Select(e => e.ToString()).ToList();

        errors.ShouldContain(e => e.StartsWith("test.yaml:7:18: ", StringComparison.Ordinal) && e.Contains("not a real date", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("test.yaml:7:42: ", StringComparison.Ordinal) && e.Contains("listed twice", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("test.yaml:7:54: ", StringComparison.Ordinal) && e.Contains("outside 2000–2100", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("test.yaml:9:29: ", StringComparison.Ordinal) && e.Contains("both 'date' and 'start'", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("test.yaml:10:52: ", StringComparison.Ordinal) && e.Contains("ends (01/05/2027) before it starts", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("test.yaml:11:9: ", StringComparison.Ordinal) && e.Contains("needs 'date'", StringComparison.Ordinal));
        errors.ShouldContain(e => e.StartsWith("test.yaml:12:50: ", StringComparison.Ordinal) && e.Contains("at most 366 days", StringComparison.Ordinal));
        errors.Count.ShouldBe(7);
    }

    [Fact]
    public void Check_OverlappingTerms_ErrorAtTheSecondTermsStart()
    {
        var errors = PolicyLoader.Load(Policy("""
                terms:
                  - { name: Autumn, start: 2026-09-03, end: 2026-12-18 }
                  - { name: Spring, start: 2026-12-01, end: 2027-03-25 }

            """), "test.yaml").Errors;

        errors.Count.ShouldBe(1);
        errors[0].ToString().ShouldStartWith("test.yaml:9:32: ");
        errors[0].Message.ShouldContain("before the previous term 'Autumn' ends");
    }

    [Fact]
    public void Check_InsetDayOnASaturdayOrInTheHolidays_WarningNotError()
    {
        var result = PolicyLoader.Load(Policy("""
                terms:
                  - { name: Autumn, start: 2026-09-03, end: 2026-12-18 }
                inset_days: [2026-09-05, 2026-12-21, 2026-09-04]

            """), "test.yaml");

        result.Errors.ShouldBeEmpty();
        result.Warnings.Select(w => w.ToString()).ShouldBe([
            "test.yaml:9:18: INSET day 05/09/2026 is a Saturday, which is not a school day anyway; check the date",
            "test.yaml:9:30: INSET day 21/12/2026 is outside every term, so it changes nothing; check the date or the terms",
        ]);
    }

    [Fact]
    public void Load_CalendarRunningOut_WarnsAtTerms_PastItSaysEnded()
    {
        var yaml = Policy("""
                terms:
                  - { name: Autumn, start: 2026-09-03, end: 2026-12-18 }
                  - { name: Spring, start: 2027-01-04, end: 2027-03-25 }

            """);

        PolicyLoader.Load(yaml, "t.yaml", D(2026, 9, 10)).Warnings.ShouldBeEmpty();
        // The longest listed term is 107 days: 3 December is 112 days before the end, 10 December 105.
        PolicyLoader.Load(yaml, "t.yaml", D(2026, 12, 3)).Warnings.ShouldBeEmpty();
        var soon = PolicyLoader.Load(yaml, "t.yaml", D(2026, 12, 10)).Warnings.ShouldHaveSingleItem();
        soon.ToString().ShouldBe("t.yaml:7:5: the calendar runs out on 25/03/2027, within a term of today (10/12/2026); add next year's terms before then");
        PolicyLoader.Load(yaml, "t.yaml", D(2027, 4, 1)).Warnings.ShouldHaveSingleItem().Message.ShouldStartWith("the calendar's last term ended on 25/03/2027");
        PolicyLoader.Load(yaml, "t.yaml").Warnings.ShouldBeEmpty();
    }

    [Fact]
    public void Load_LostPropertyHold_HalfATermAndWeeksParse_H15()
    {
        var withTerms = Policy("""
                terms:
                  - { name: Autumn, start: 2026-09-03, end: 2026-12-18, half_term: { start: 2026-10-26, end: 2026-10-30 } }

            """) + "\ndevices:\n  lost_property:\n    hold: half a term\n";
        var loaded = PolicyLoader.Load(withTerms, "t.yaml");
        loaded.Errors.ShouldBeEmpty();
        var hold = loaded.Policy.ShouldNotBeNull().Devices.LostProperty;
        hold.Hold.ShouldBe(new CalendarDuration(1, CalendarUnit.HalfTerms));

        var noTerms = PolicyLoaderTests.Valid + "\ndevices:\n  lost_property:\n    hold: 1 half term\n";
        PolicyLoader.Load(noTerms, "t.yaml").Errors.ShouldHaveSingleItem().Message.ShouldContain("counts school terms, but school.calendar has no 'terms'");

        var weeks = PolicyLoaderTests.Valid + "\ndevices:\n  lost_property:\n    hold: 12 weeks\n";
        PolicyLoader.Load(weeks, "t.yaml").Policy.ShouldNotBeNull().Devices.LostProperty.HoldDays.ShouldBe(84);
    }
}
