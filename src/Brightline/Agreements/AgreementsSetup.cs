namespace Brightline.Agreements;

public static class AgreementsSetup
{
    public static IServiceCollection AddAgreements(this IServiceCollection services, IConfiguration configuration) => services;

    public static WebApplication MapAgreementsApi(this WebApplication app) => app;
}
