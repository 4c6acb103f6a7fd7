using System.Text.Json;
using Brightline.Data.Entities;

namespace Brightline.Policies;

/// <summary>
/// Reads and writes <see cref="Person.Attributes"/>: the extra MIS columns the policy's <c>attributes:</c> maps (issue 15
/// part 4), kept as a small JSON object so a school can add a column without a schema change.
/// </summary>
public static class PersonAttributeValues
{
    private static readonly IReadOnlyDictionary<string, string> s_none = new Dictionary<string, string>(StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, string> Read(Person person) => Parse(person.Attributes);

    public static IReadOnlyDictionary<string, string> Parse(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return s_none;
        }

        try
        {
            return JsonSerializer.Deserialize<Dictionary<string, string>>(json) is { } map
                ? new Dictionary<string, string>(map, StringComparer.Ordinal)
                : s_none;
        }
        catch (JsonException)
        {
            // Only this code writes the column; a value it cannot read means no attributes, never a crash.
            return s_none;
        }
    }

    /// <summary>The stored form: keys in order so that the same values always store the same text; null when empty.</summary>
    public static string? Write(IReadOnlyDictionary<string, string> values) =>
        values.Count == 0 ? null : JsonSerializer.Serialize(values.OrderBy(kv => kv.Key, StringComparer.Ordinal).ToDictionary(kv => kv.Key, kv => kv.Value));
}
