using Brightline.Kernel;
using Brightline.Loans;
using Brightline.Policy;
using Brightline.Tests.Infrastructure;

namespace Brightline.Tests.Loans;

/// <summary>C15 "returned at the end of the day", on the school's calendar (issue 15): bank holidays, INSET days and holidays.</summary>
public sealed class LoanDueCalendarTests
{
    private static DateTimeOffset Uk(int y, int m, int d, int h, int min = 0) => SchoolClock.FromUk(new DateTime(y, m, d, h, min, 0));

    [Fact]
    public void C15_FridayLoan_DueAtTheEndOfFriday_BankHolidayLoan_DueAtTheEndOfTheNextSchoolDay()
    {
        // Westfield lists no terms (St Clement's now has placeholder terms for C16): school days are weekdays that are
        // not bank holidays, and a loan is due back at the day's end.
        var policy = PolicyLoader.LoadValid(File.ReadAllText(RepoPaths.Policy("westfield.yaml")), "westfield.yaml");
        policy.School.Calendar.Terms.ShouldBeEmpty();
        DateTimeOffset At(int y, int m, int d) => SchoolClock.FromUk(new DateTime(y, m, d).Add(LoanBook.DayEnd(policy).ToTimeSpan()));

        LoanBook.DefaultDue(policy, Uk(2026, 11, 27, 9)).ShouldBe(At(2026, 11, 27));
        // Good Friday 2026 (3 April) and Easter Monday (6 April) are bank holidays: due Tuesday 7 April.
        LoanBook.DefaultDue(policy, Uk(2026, 4, 3, 10)).ShouldBe(At(2026, 4, 7));
        // Christmas Eve after school: Christmas Day and the Boxing Day substitute (Monday 28) are skipped.
        LoanBook.DefaultDue(policy, Uk(2026, 12, 24, 16)).ShouldBe(At(2026, 12, 29));
    }

    [Fact]
    public void C15_InTheSummerHolidays_DueAtTheEndOfTheDay_NotSixWeeksLater_NearTermTheFirstSchoolDay()
    {
        // The example school lists terms: Summer 2026 ends 22/07/2026 and Autumn 2026 starts 03/09/2026.
        var policy = PolicyLoader.LoadValid(File.ReadAllText(RepoPaths.Policy("example.yaml")), "example.yaml");
        var end = LoanBook.DayEnd(policy);

        LoanBook.DefaultDue(policy, Uk(2026, 8, 5, 10)).ShouldBe(SchoolClock.FromUk(new DateTime(2026, 8, 5).Add(end.ToTimeSpan())));
        // Summer bank holiday, Monday 31 August 2026: term is within two weeks, so the first school day, Friday
        // 4 September (Thursday 3 September, the first day of term, is an INSET day in example.yaml).
        LoanBook.DefaultDue(policy, Uk(2026, 8, 31, 10)).ShouldBe(SchoolClock.FromUk(new DateTime(2026, 9, 4).Add(end.ToTimeSpan())));
        // In term, a Friday after school: Monday.
        LoanBook.DefaultDue(policy, Uk(2026, 11, 27, 18)).ShouldBe(SchoolClock.FromUk(new DateTime(2026, 11, 30).Add(end.ToTimeSpan())));
    }
}
