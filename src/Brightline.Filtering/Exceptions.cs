namespace Brightline.Filtering;

/// <summary>A filter profile, rule, schedule or snapshot is invalid. The message names what and where.</summary>
public class FilterConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public FilterConfigurationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public FilterConfigurationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public FilterConfigurationException()
    {
    }

    /// <summary>The profile concerned, when there is one.</summary>
    public string? ProfileName { get; init; }

    /// <summary>The entry concerned (rule pattern, category or schedule name), when there is one.</summary>
    public string? Entry { get; init; }
}

/// <summary>
/// A profile tried to allow an illegal category (child abuse, terrorism), or put a name from an
/// illegal-category list on an allow list. Nobody, including administrators, may do that.
/// </summary>
public sealed class IllegalOverrideException : FilterConfigurationException
{
    /// <summary>Creates the exception.</summary>
    public IllegalOverrideException(string profileName, string entry, Category category)
        : base($"Filter profile '{profileName}' tries to allow '{entry}', which is in the illegal category '{Categories.NameOf(category)}'. Illegal content can never be allowed, by anyone.")
    {
        ProfileName = profileName;
        Entry = entry;
        Category = category;
    }

    /// <summary>The illegal category.</summary>
    public Category Category { get; }
}
