using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Brightline.Kernel;

/// <summary>Data annotations and <see cref="IValidatableObject"/>, with each failure prefixed by the setting's full key.</summary>
internal sealed class SectionValidator<T>(string section) : IValidateOptions<T>
    where T : class
{
    public ValidateOptionsResult Validate(string? name, T options)
    {
        var failures = Failures(section, options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static List<string> Failures(string section, T options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => Describe(section, r)).ToList();
    }

    private static string Describe(string section, ValidationResult result)
    {
        var message = result.ErrorMessage ?? "is not valid.";
        if (message.StartsWith(section, StringComparison.Ordinal))
        {
            return message;
        }

        return result.MemberNames.FirstOrDefault() is { } member ? $"{section}:{member}: {message}" : $"{section}: {message}";
    }
}
