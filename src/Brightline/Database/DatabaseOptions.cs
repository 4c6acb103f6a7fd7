using System.ComponentModel.DataAnnotations;
using Brightline.Data;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Database;

public sealed class DatabaseOptions : IValidatableObject
{
    public const string Section = "Brightline:Database";

    /// <summary>"sqlite" (default) or "postgres".</summary>
    public string Provider { get; set; } = "sqlite";

    /// <summary>Connection string; the default is a SQLite file under ./data.</summary>
    public string? ConnectionString { get; set; }

    public DatabaseProvider ParsedProvider => Provider.ToLowerInvariant() switch
    {
        "sqlite" => DatabaseProvider.Sqlite,
        "postgres" or "postgresql" or "npgsql" => DatabaseProvider.Postgres,
        _ => throw new InvalidOperationException($"{Section}:Provider is '{Provider}'; use 'sqlite' or 'postgres'."),
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider.ToLowerInvariant() is not ("sqlite" or "postgres" or "postgresql" or "npgsql"))
        {
            yield return new ValidationResult($"{Section}:Provider is '{Provider}'; use 'sqlite' or 'postgres'.", [nameof(Provider)]);
        }
    }
}
