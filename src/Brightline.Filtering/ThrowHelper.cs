using System.Diagnostics.CodeAnalysis;

namespace Brightline.Filtering;

/// <summary>Throw helpers kept out of line so hot methods stay small and inlinable.</summary>
internal static class ThrowHelper
{
    [DoesNotReturn]
    public static void ThrowArgumentOutOfRange(string paramName) => throw new ArgumentOutOfRangeException(paramName);

    [DoesNotReturn]
    public static void ThrowInvalidOperation(string message) => throw new InvalidOperationException(message);

    [DoesNotReturn]
    public static void ThrowConfiguration(string message) => throw new FilterConfigurationException(message);
}
