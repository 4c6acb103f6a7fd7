namespace Brightline.Monitoring;

/// <summary>A phrase library had errors and the caller asked for a strict load. The message lists them with file and line.</summary>
public sealed class PhraseLibraryException : Exception
{
    /// <summary>Creates the exception.</summary>
    public PhraseLibraryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a cause.</summary>
    public PhraseLibraryException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Creates the exception.</summary>
    public PhraseLibraryException()
    {
    }

    /// <summary>The problems found, in file and line order.</summary>
    public IReadOnlyList<LibraryDiagnostic> Diagnostics { get; init; } = [];
}
