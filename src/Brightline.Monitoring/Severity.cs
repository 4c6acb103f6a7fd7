namespace Brightline.Monitoring;

/// <summary>How serious a phrase is for safeguarding. Ordered: a higher value is more serious.</summary>
public enum Severity
{
    /// <summary>Worth counting in the weekly digest; not worth interrupting anyone for.</summary>
    Low = 0,

    /// <summary>Worth a look in the DSL's queue.</summary>
    Medium = 1,

    /// <summary>A likely safeguarding concern.</summary>
    High = 2,

    /// <summary>Possible immediate risk to a child (e.g. suicidal intent, grooming): tell the DSL now.</summary>
    Critical = 3,
}

/// <summary>Parsing and naming of <see cref="Severity"/> values, ordinal and allocation-free.</summary>
public static class Severities
{
    /// <summary>The lower-case name used in library files and reports.</summary>
    public static string NameOf(Severity severity) => severity switch
    {
        Severity.Low => "low",
        Severity.Medium => "medium",
        Severity.High => "high",
        Severity.Critical => "critical",
        _ => "unknown",
    };

    /// <summary>Parses <c>low</c>, <c>medium</c>, <c>high</c> or <c>critical</c> (ASCII case-insensitive).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out Severity severity)
    {
        text = text.Trim();
        if (text.Equals("low", StringComparison.OrdinalIgnoreCase))
        {
            severity = Severity.Low;
            return true;
        }

        if (text.Equals("medium", StringComparison.OrdinalIgnoreCase))
        {
            severity = Severity.Medium;
            return true;
        }

        if (text.Equals("high", StringComparison.OrdinalIgnoreCase))
        {
            severity = Severity.High;
            return true;
        }

        if (text.Equals("critical", StringComparison.OrdinalIgnoreCase))
        {
            severity = Severity.Critical;
            return true;
        }

        severity = Severity.Low;
        return false;
    }
}
