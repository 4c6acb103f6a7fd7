using Brightline.Kernel;
using Brightline.Data;

namespace Brightline.Email;

public sealed class EmailModule : IFeatureModule
{
    public void AddServices(IServiceCollection services, IConfiguration configuration)
    {
        services.AddSettings<EmailOptions>(EmailOptions.Section);
        services.AddScoped<EmailSender>();
        services.AddSingleton<EmailOutboxSignal>();
        services.AddSingleton<EmailOutboxCommitInterceptor>();
        services.AddSingleton<EmailOutboxDispatcher>();
        // Every context the host creates tells the worker when queued email is committed.
        services.ConfigureDbContext<BrightlineDbContext>((sp, db) => db.AddInterceptors(sp.GetRequiredService<EmailOutboxCommitInterceptor>()));
        if (Settings.AtRegistration<EmailOptions>(configuration, EmailOptions.Section).Worker)
        {
            services.AddHostedService<EmailOutboxWorker>();
        }
    }
}
