using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Brightline.Testing;

/// <summary>One captured log entry: category, level, event, rendered message and the exception (if any).</summary>
public sealed record CapturedLog(string Category, LogLevel Level, EventId EventId, string Message, Exception? Exception);

/// <summary>
/// A real <see cref="ILoggerProvider"/> that keeps every entry at or above <see cref="MinimumLevel"/>, so a
/// test can assert that a server logged no warning or exception while it was fed bad input.
/// </summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<CapturedLog> _entries = new();

    public LogLevel MinimumLevel { get; init; } = LogLevel.Warning;

    public IReadOnlyCollection<CapturedLog> Entries => _entries;

    /// <summary>The entries whose category starts with <paramref name="prefix"/>.</summary>
    public IReadOnlyList<CapturedLog> From(string prefix) => [.. _entries.Where(e => e.Category.StartsWith(prefix, StringComparison.Ordinal))];

    /// <summary>A logger of category <typeparamref name="T"/> writing here.</summary>
    public ILogger<T> CreateLogger<T>() => new Logger<T>(new Factory(this));

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= provider.MinimumLevel;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                provider._entries.Enqueue(new CapturedLog(category, logLevel, eventId, formatter(state, exception), exception));
            }
        }
    }

    private sealed class Factory(CapturingLoggerProvider provider) : ILoggerFactory
    {
        public void AddProvider(ILoggerProvider provider)
        {
        }

        public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
