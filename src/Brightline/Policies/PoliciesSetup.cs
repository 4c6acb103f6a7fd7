namespace Brightline.Policies;

public static class PoliciesSetup
{
    public static IServiceCollection AddPolicies(this IServiceCollection services) => services;
}
