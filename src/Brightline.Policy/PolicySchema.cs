using System.Text.Json;

namespace Brightline.Policy;

/// <summary>The published JSON Schema of the policy format (the same file editors validate against).</summary>
public static class PolicySchema
{
    private static readonly Lazy<string> _text = new(ReadResource);
    private static readonly Lazy<JsonDocument> _document = new(() => JsonDocument.Parse(_text.Value));

    /// <summary>The schema as published at policies/brightline-policy.schema.json.</summary>
    public static string Json => _text.Value;

    internal static JsonElement Root => _document.Value.RootElement;

    private static string ReadResource()
    {
        using var stream = typeof(PolicySchema).Assembly.GetManifestResourceStream("Brightline.Policy.schema.json")
            ?? throw new InvalidOperationException("The policy schema is missing from the Brightline.Policy assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
