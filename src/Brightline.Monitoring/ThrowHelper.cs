using System.Diagnostics.CodeAnalysis;

namespace Brightline.Monitoring;

/// <summary>Throw helpers kept out of line so hot methods stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName) => throw new ArgumentOutOfRangeException(paramName);

    [DoesNotReturn]
    public static void ThrowArgument(string message, string paramName) => throw new ArgumentException(message, paramName);

    [DoesNotReturn]
    public static void ThrowLibrary(string message, IReadOnlyList<LibraryDiagnostic> diagnostics) =>
        throw new PhraseLibraryException(message) { Diagnostics = diagnostics };
}
