using Brightline.Filtering;
using Brightline.Policy;
using Brightline.Tests.Infrastructure;
using Brightline.WebFiltering;

namespace Brightline.Tests.Filtering;

/// <summary>
/// Issue 15: Omnicom's own policy file (O7, "staff personal use only outside contact time", <c>on: school_days</c>,
/// no term dates in the seed) compiled as the portal compiles it. Without terms a school day is a weekday that is not a
/// bank holiday, so Christmas Day no longer blocks staff social media.
/// </summary>
public sealed class SchoolCalendarFilterTests
{
    private static readonly Lazy<FilterCompilation> s_omnicom = new(() =>
        FilterCompiler.Compile(PolicyLoader.LoadFile(RepoPaths.Policy("omnicom-primary.yaml")).Policy.ShouldNotBeNull(), Path.Combine(RepoPaths.Root, "policies"), "omnicom"));

    private static FilterSnapshot Omnicom => s_omnicom.Value.Snapshot;

    [Fact]
    public void O7_StaffSocialNetworking_AllowedAt1000OnChristmasDay2026_BlockedAt1000OnASchoolTuesday()
    {
        // Friday 25 December 2026, GMT (local = UTC).
        var christmas = Omnicom.Explain(new FilterRequest("staff", "www.facebook.com", new DateTimeOffset(2026, 12, 25, 10, 0, 0, TimeSpan.Zero)));
        var boxingDaySubstitute = Omnicom.Decide(new FilterRequest("staff", "www.facebook.com", new DateTimeOffset(2026, 12, 28, 10, 0, 0, TimeSpan.Zero)));
        var tuesday = Omnicom.Explain(new FilterRequest("staff", "www.facebook.com", new DateTimeOffset(2026, 12, 8, 10, 0, 0, TimeSpan.Zero)));

        s_omnicom.Value.Problems.ShouldBeEmpty();
        christmas.Outcome.ShouldBe(DecisionOutcome.Allow);
        christmas.Schedule.ShouldBeNull();
        boxingDaySubstitute.Outcome.ShouldBe(DecisionOutcome.Allow);
        tuesday.Outcome.ShouldBe(DecisionOutcome.Block);
        tuesday.Category.ShouldBe(Category.SocialNetworking);
        tuesday.Schedule.ShouldNotBeNull().Name.ShouldBe("contact-time");
    }

    [Fact]
    public void O7_EasterMonday2026_IsABankHolidaySoStaffMayUseSocialNetworking()
    {
        // Monday 6 April 2026 at 10:00 BST = 09:00 UTC.
        Omnicom.Decide(new FilterRequest("staff", "facebook.com", new DateTimeOffset(2026, 4, 6, 9, 0, 0, TimeSpan.Zero))).Outcome.ShouldBe(DecisionOutcome.Allow);
        Omnicom.Decide(new FilterRequest("staff", "facebook.com", new DateTimeOffset(2026, 4, 7, 9, 0, 0, TimeSpan.Zero))).Outcome.ShouldBe(DecisionOutcome.Block);
    }
}
