using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Brightline.Kernel;

/// <summary>
/// The one way Brightline reads its settings. Each feature has an options class with a
/// <c>public const string Section</c>, registered with <see cref="AddSettings{T}"/> (bound from that section,
/// validated with data annotations and <see cref="IValidatableObject"/>, checked when the host starts) and read
/// through <see cref="IOptions{T}"/>. A value that does not convert (<c>ten</c> for a number) or breaks a rule
/// stops start-up with a message naming the full key, e.g. <c>Brightline:Dns:TcpIdleTimeoutSeconds</c>.
/// Every setting is listed in docs/configuration.md; a test fails when an options property is missing there.
/// </summary>
public static class Settings
{
    /// <summary>Binds <typeparamref name="T"/> from <paramref name="section"/>, validated at start-up with messages naming the key.</summary>
    public static OptionsBuilder<T> AddSettings<T>(this IServiceCollection services, string section)
        where T : class
    {
        services.AddSingleton<IValidateOptions<T>>(new SectionValidator<T>(section));
        return services.AddOptions<T>().BindConfiguration(section).ValidateOnStart();
    }

    /// <summary>
    /// The same options, bound and validated the same way, for the few decisions taken while services are still
    /// being registered — which database provider to use, whether a background worker runs in this process (a
    /// node that does not run a worker does not register it, so it appears nowhere in the host), the cookie
    /// policy. Use it for nothing else: everything that runs later reads <see cref="IOptions{T}"/>.
    /// </summary>
    public static T AtRegistration<T>(IConfiguration configuration, string section)
        where T : class, new()
    {
        var value = configuration.GetSection(section).Get<T>() ?? new T();
        var failures = SectionValidator<T>.Failures(section, value);
        return failures.Count == 0 ? value : throw new OptionsValidationException(section, typeof(T), failures);
    }
}
