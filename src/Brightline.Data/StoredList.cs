using System.Text.Json;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Brightline.Data;

/// <summary>
/// A short list (the rule IDs an incident cites, the categories a sanction restricts, the records an approval
/// created) kept in its row as a JSON array, e.g. <c>["A3","C11"]</c> or <c>[12,13]</c>. A JSON array rather
/// than a child table because each list is small, always read and written with its row, never queried by
/// element, and part of a record that is evidence: one column keeps it with the record it belongs to, with no
/// joins and no second table to keep append-only. JSON rather than the comma-separated text it replaced (V0015)
/// because a separator can never be mistaken for part of a value and an empty list is <c>[]</c>, not '' or NULL.
/// </summary>
public static class StoredList<T>
{
    /// <summary>Lists compare by content, so changing an element is saved (EF's default compares the reference).</summary>
    public static readonly ValueComparer<IReadOnlyList<T>> Comparer = new(
        (a, b) => a == null ? b == null : b != null && a.SequenceEqual(b),
        list => list.Aggregate(0, (hash, item) => HashCode.Combine(hash, item)),
        list => list.ToArray());

    /// <param name="column">The column as <c>table.Column</c>, named in the error for a value that is not such a list.</param>
    public static ValueConverter<IReadOnlyList<T>, string> Converter(string column) =>
        new(list => Write(list), json => Read(json, column));

    public static string Write(IReadOnlyList<T> list) => JsonSerializer.Serialize(list);

    /// <summary>The stored text back to a list; anything else (comma-separated text left behind, a bare value) is not guessed at.</summary>
    public static IReadOnlyList<T> Read(string json, string column)
    {
        try
        {
            return JsonSerializer.Deserialize<T[]>(json) ?? throw new UnknownStoredValueException(column, json);
        }
        catch (JsonException)
        {
            throw new UnknownStoredValueException(column, json);
        }
    }
}
