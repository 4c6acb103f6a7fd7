using Brightline.Data;

namespace Brightline.Email;

public static class EmailSetup
{
    public static IServiceCollection AddEmail(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<EmailOptions>(configuration.GetSection(EmailOptions.Section));
        services.AddScoped<EmailSender>();
        services.AddSingleton<EmailOutboxSignal>();
        services.AddSingleton<EmailOutboxCommitInterceptor>();
        services.AddSingleton<EmailOutboxDispatcher>();
        // Every context the host creates tells the worker when queued email is committed.
        services.ConfigureDbContext<BrightlineDbContext>((sp, db) => db.AddInterceptors(sp.GetRequiredService<EmailOutboxCommitInterceptor>()));
        if (configuration.GetValue($"{EmailOptions.Section}:Worker", true))
        {
            services.AddHostedService<EmailOutboxWorker>();
        }

        return services;
    }
}
