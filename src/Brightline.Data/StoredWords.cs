using System.Collections.Frozen;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Brightline.Data;

/// <summary>
/// A closed set of states (an enum) stored as the lower-case words its column has always held, never as
/// numbers: rows written before the enum existed read back unchanged, a person reading the table sees words,
/// and reordering the enum cannot corrupt anything. Reading a word this build does not know throws
/// <see cref="UnknownStoredValueException"/> naming the value and the column; nothing is ever guessed or
/// defaulted, because a state read wrongly (an approval taken as in force, an alert as closed) is worse than
/// a page that fails.
/// </summary>
public sealed class StoredWords<TEnum> where TEnum : struct, Enum
{
    private readonly FrozenDictionary<TEnum, string> _words;
    private readonly FrozenDictionary<string, TEnum> _values;

    /// <param name="column">The column as <c>table.Column</c>, named in the error for an unknown word.</param>
    /// <param name="words">Every member of the enum with its stored word; a missing member is a programming error.</param>
    public StoredWords(string column, params ReadOnlySpan<(TEnum Value, string Word)> words)
    {
        Column = column;
        var byValue = new Dictionary<TEnum, string>();
        var byWord = new Dictionary<string, TEnum>(StringComparer.Ordinal);
        var all = new List<TEnum>(words.Length);
        foreach (var (value, word) in words)
        {
            byValue.Add(value, word);
            byWord.Add(word, value);
            all.Add(value);
        }

        foreach (var value in Enum.GetValues<TEnum>())
        {
            if (!byValue.ContainsKey(value))
            {
                throw new InvalidOperationException($"{typeof(TEnum).Name}.{value} has no stored word for {column}.");
            }
        }

        _words = byValue.ToFrozenDictionary();
        _values = byWord.ToFrozenDictionary(StringComparer.Ordinal);
        All = all;
        Converter = new ValueConverter<TEnum, string>(value => Word(value), word => Parse(word));
    }

    /// <summary>The column as <c>table.Column</c>.</summary>
    public string Column { get; }

    /// <summary>Every state, in the order given (the order lists and filters show them).</summary>
    public IReadOnlyList<TEnum> All { get; }

    /// <summary>The EF Core conversion for the column.</summary>
    public ValueConverter<TEnum, string> Converter { get; }

    public string Word(TEnum value) =>
        _words.TryGetValue(value, out var word) ? word : throw new ArgumentOutOfRangeException(nameof(value), value, $"Not a {typeof(TEnum).Name}.");

    /// <summary>A stored word back to its state; an unknown word is a corrupt or newer row, never a state to guess.</summary>
    public TEnum Parse(string word) =>
        _values.TryGetValue(word, out var value) ? value : throw new UnknownStoredValueException(Column, word);

    /// <summary>For words that come from outside (a query string, a form): false instead of an error.</summary>
    public bool TryParse(string? word, out TEnum value)
    {
        if (word is not null && _values.TryGetValue(word, out value))
        {
            return true;
        }

        value = default;
        return false;
    }
}

/// <summary>A stored column holds a value this build cannot read (a corrupt row, or one written by a newer version).</summary>
public sealed class UnknownStoredValueException(string column, string value)
    : Exception($"The database holds '{value}' in {column}, which is not a value this version of Brightline knows. Nothing was guessed; check the row (or the version).")
{
    public string Column { get; } = column;
    public string Value { get; } = value;
}
