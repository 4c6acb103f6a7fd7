namespace Brightline.Demo;

public static class DemoSetup
{
    public static IServiceCollection AddDemo(this IServiceCollection services, IConfiguration configuration) => services;
}

public static class DemoSeeder
{
    public static Task SeedIfEmptyAsync(IServiceProvider services, CancellationToken cancellationToken) => Task.CompletedTask;
}
