using Brightline.Policy.Model;

namespace Brightline.Policy;

/// <summary>One problem in a policy file, with its position (1-based line and column).</summary>
public sealed record PolicyDiagnostic(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

public sealed record PolicyLoadResult(SchoolPolicy? Policy, IReadOnlyList<PolicyDiagnostic> Errors)
{
    public bool Succeeded => Policy is not null && Errors.Count == 0;
}

/// <summary>Thrown where a caller needs a valid policy and the file has errors.</summary>
public sealed class PolicyInvalidException(IReadOnlyList<PolicyDiagnostic> errors)
    : Exception("The policy has errors:\n" + string.Join('\n', errors))
{
    public IReadOnlyList<PolicyDiagnostic> Errors { get; } = errors;
}

/// <summary>
/// Loads a policy from YAML: parse, validate against the published JSON Schema (positions from the
/// YAML nodes), then semantic checks (references between groups, rules and agreements; dates).
/// Reports every error, never only the first.
/// </summary>
public static class PolicyLoader
{
    public static PolicyLoadResult LoadFile(string path) => Load(File.ReadAllText(path), path);

    public static PolicyLoadResult Load(string yaml, string fileName)
    {
        // Placeholder owned by the policy-language work; replaced by the real loader.
        _ = yaml;
        return new PolicyLoadResult(null, [new PolicyDiagnostic(fileName, 1, 1, "policy loader not built yet")]);
    }

    /// <summary>Loads or throws <see cref="PolicyInvalidException"/>.</summary>
    public static SchoolPolicy LoadValid(string yaml, string fileName)
    {
        var result = Load(yaml, fileName);
        return result.Succeeded ? result.Policy! : throw new PolicyInvalidException(result.Errors);
    }
}
