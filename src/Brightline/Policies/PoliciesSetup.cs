namespace Brightline.Policies;

public static class PoliciesSetup
{
    public static IServiceCollection AddPolicies(this IServiceCollection services)
    {
        services.AddSingleton<PolicyCache>();
        services.AddScoped<PolicyStore>();
        return services;
    }
}
