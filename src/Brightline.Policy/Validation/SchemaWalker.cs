using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Brightline.Policy.Yaml;

namespace Brightline.Policy.Validation;

/// <summary>
/// Checks a YAML tree against the published JSON Schema, keeping each node's position. General
/// JSON Schema validators work on JSON values and lose line numbers, so we walk the small subset of
/// draft 2020-12 the policy schema uses: type, properties, required, additionalProperties, enum,
/// pattern, items, minItems, minimum, maximum, $ref into $defs. The schema file stays the single
/// source of truth for both this check and editors.
/// </summary>
internal sealed class SchemaWalker
{
    private static readonly TimeSpan _regexTimeout = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Sections a policy may come to have, which nothing reads yet. The schema leaves them out, so an editor flags
    /// them too; this only gives the error words that say why, instead of a bare "unknown key".
    /// </summary>
    private static readonly Dictionary<string, string> s_notYetSupported = new(StringComparer.Ordinal)
    {
        // (issue 15: "passwords" was here until the password rules were built.)
    };
    private readonly JsonElement _root;
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);
    private readonly List<YamlProblem> _problems;

    public SchemaWalker(JsonElement root, List<YamlProblem> problems)
    {
        _root = root;
        _problems = problems;
    }

    public void Validate(YNode node) => Walk(node, _root, "", null);

    private void Walk(YNode node, JsonElement schema, string path, string? keyName)
    {
        schema = Resolve(schema);
        var label = keyName is null ? (path.Length == 0 ? "the policy" : path) : $"'{keyName}'";

        if (schema.TryGetProperty("type", out var typeEl) && !TypeMatches(node, typeEl))
        {
            _problems.Add(new YamlProblem(node.Line, node.Column, TypeMessage(label, node, typeEl)));
            return;
        }

        if (node.Kind == YNodeKind.Scalar)
        {
            CheckScalar(node, schema, label);
            return;
        }

        if (node.Kind == YNodeKind.Sequence)
        {
            if (schema.TryGetProperty("minItems", out var minItems) && node.Items.Count < minItems.GetInt32())
            {
                var min = minItems.GetInt32();
                _problems.Add(new YamlProblem(node.Line, node.Column, $"{label} must have at least {min} {(min == 1 ? "entry" : "entries")}"));
            }

            if (schema.TryGetProperty("items", out var itemSchema))
            {
                for (var i = 0; i < node.Items.Count; i++)
                {
                    Walk(node.Items[i], itemSchema, $"{path}[{i + 1}]", null);
                }
            }

            return;
        }

        WalkMapping(node, schema, path);
    }

    private void WalkMapping(YNode node, JsonElement schema, string path)
    {
        var hasProperties = schema.TryGetProperty("properties", out var properties);
        var additional = schema.TryGetProperty("additionalProperties", out var additionalEl) ? additionalEl : (JsonElement?)null;

        foreach (var (key, value) in node.Pairs)
        {
            var childPath = path.Length == 0 ? key.Value : $"{path}.{key.Value}";
            if (hasProperties && properties.TryGetProperty(key.Value, out var propSchema))
            {
                Walk(value, propSchema, childPath, key.Value);
                continue;
            }

            if (path.Length == 0 && s_notYetSupported.TryGetValue(key.Value, out var feature))
            {
                _problems.Add(new YamlProblem(key.Line, key.Column,
                    $"the '{key.Value}' section is not supported yet: nothing reads it {feature}; remove it"));
            }
            else if (additional is { ValueKind: JsonValueKind.False })
            {
                var known = hasProperties ? properties.EnumerateObject().Select(p => p.Name).ToList() : [];
                var where = path.Length == 0 ? "at the top level" : $"in {path}";
                _problems.Add(new YamlProblem(key.Line, key.Column, $"unknown key '{key.Value}' {where}{Suggest.Hint(key.Value, known)}"));
            }
            else if (additional is { ValueKind: JsonValueKind.Object } additionalSchema)
            {
                Walk(value, additionalSchema, childPath, key.Value);
            }
        }

        if (schema.TryGetProperty("required", out var required))
        {
            foreach (var name in required.EnumerateArray())
            {
                var key = name.GetString()!;
                if (node.Get(key) is null)
                {
                    var owner = path.Length == 0 ? "the policy" : path;
                    _problems.Add(new YamlProblem(node.Line, node.Column, $"{owner} is missing required key '{key}'"));
                }
            }
        }

    }

    private void CheckScalar(YNode node, JsonElement schema, string label)
    {
        if (schema.TryGetProperty("enum", out var enumEl))
        {
            var values = enumEl.EnumerateArray().Select(v => v.ValueKind == JsonValueKind.String ? v.GetString()! : v.GetRawText()).ToList();
            if (!values.Contains(node.Value, StringComparer.Ordinal))
            {
                _problems.Add(new YamlProblem(node.Line, node.Column,
                    $"{label} must be one of {string.Join(", ", values)}, not '{node.Value}'{Suggest.Hint(node.Value, values)}"));
                return;
            }
        }

        if (schema.TryGetProperty("pattern", out var patternEl) && node.ScalarType is YScalarType.String or YScalarType.Integer)
        {
            var pattern = patternEl.GetString()!;
            if (!_patterns.TryGetValue(pattern, out var regex))
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, _regexTimeout);
                _patterns[pattern] = regex;
            }

            if (!regex.IsMatch(node.Value))
            {
                var hint = schema.TryGetProperty("description", out var d) ? " (" + d.GetString() + ")" : "";
                _problems.Add(new YamlProblem(node.Line, node.Column, $"{label} has an invalid value '{node.Value}'{hint}"));
                return;
            }
        }

        if (node.ScalarType == YScalarType.Integer && long.TryParse(node.Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number))
        {
            if (schema.TryGetProperty("minimum", out var minimum) && number < minimum.GetInt64())
            {
                _problems.Add(new YamlProblem(node.Line, node.Column, $"{label} must be at least {minimum.GetInt64()}, not {number}"));
            }

            if (schema.TryGetProperty("maximum", out var maximum) && number > maximum.GetInt64())
            {
                _problems.Add(new YamlProblem(node.Line, node.Column, $"{label} must be at most {maximum.GetInt64()}, not {number}"));
            }
        }
    }

    private JsonElement Resolve(JsonElement schema)
    {
        // A $ref's siblings in this schema are only descriptions, so following the reference is enough.
        var guard = 0;
        while (schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference) && guard++ < 32)
        {
            var target = reference.GetString()!;
            const string prefix = "#/$defs/";
            if (!target.StartsWith(prefix, StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"The policy schema uses an unsupported $ref '{target}'.");
            }

            schema = _root.GetProperty("$defs").GetProperty(target[prefix.Length..]);
        }

        return schema;
    }

    private static bool TypeMatches(YNode node, JsonElement typeEl)
    {
        if (typeEl.ValueKind == JsonValueKind.Array)
        {
            return typeEl.EnumerateArray().Any(t => TypeMatches(node, t.GetString()!));
        }

        return TypeMatches(node, typeEl.GetString()!);
    }

    private static bool TypeMatches(YNode node, string type) => type switch
    {
        "object" => node.Kind == YNodeKind.Mapping,
        "array" => node.Kind == YNodeKind.Sequence,
        "string" => node.Kind == YNodeKind.Scalar && node.ScalarType == YScalarType.String,
        "integer" => node.Kind == YNodeKind.Scalar && node.ScalarType == YScalarType.Integer,
        "number" => node.Kind == YNodeKind.Scalar && node.ScalarType is YScalarType.Integer or YScalarType.Number,
        "boolean" => node.Kind == YNodeKind.Scalar && node.ScalarType == YScalarType.Boolean,
        "null" => node.Kind == YNodeKind.Scalar && node.ScalarType == YScalarType.Null,
        _ => false,
    };

    private static string TypeMessage(string label, YNode node, JsonElement typeEl)
    {
        var types = typeEl.ValueKind == JsonValueKind.Array
            ? typeEl.EnumerateArray().Select(t => t.GetString()!).ToList()
            : [typeEl.GetString()!];
        var wanted = string.Join(" or ", types.Select(Article));
        var message = $"{label} must be {wanted}, not {node.Describe()}";
        if (types.Contains("string") && node.Kind == YNodeKind.Scalar && node.ScalarType is YScalarType.Integer or YScalarType.Number or YScalarType.Boolean)
        {
            // YAML reads 2025.1 or yes-like words as numbers and booleans; quoting keeps them as text.
            message += $"; put it in quotes: \"{node.Value}\"";
        }

        return message;
    }

    private static string Article(string type) => type switch
    {
        "object" => "a mapping",
        "array" => "a list",
        "string" => "text",
        "integer" => "a whole number",
        "number" => "a number",
        "boolean" => "true or false",
        "null" => "empty",
        _ => type,
    };
}
