using Brightline.Kernel;

namespace Brightline.PolicyReviews;

/// <summary>The policy's review cycle (W12, O23, C22): the record of reviews and approvals, and reminders to its owner.</summary>
public sealed class PolicyReviewsModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddScoped<PolicyReviewLog>();
        // On unless turned off: a test server that moves its clock on by hours would otherwise send these too.
        if (configuration.GetValue("Brightline:PolicyReviews:RemindOwners", true))
        {
            services.AddHostedService<PolicyReviewReminderWorker>();
        }
    }
}
