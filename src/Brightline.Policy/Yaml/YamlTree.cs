using System.Globalization;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Brightline.Policy.Yaml;

internal enum YNodeKind
{
    Scalar,
    Mapping,
    Sequence,
}

/// <summary>The JSON-ish type a YAML node has under the YAML 1.2 core schema (what editors assume too).</summary>
internal enum YScalarType
{
    Null,
    Boolean,
    Integer,
    Number,
    String,
}

internal sealed record YPair(YNode Key, YNode Value);

/// <summary>
/// A YAML node with its 1-based position. We build our own tree from YamlDotNet's event parser rather
/// than use <c>YamlStream</c> because <c>YamlMappingNode</c> throws on the first duplicate key, and a
/// policy author should see every duplicate (and every other error) in one run.
/// </summary>
internal sealed class YNode
{
    public required YNodeKind Kind { get; init; }
    public required int Line { get; init; }
    public required int Column { get; init; }
    public int EndLine { get; init; }
    public int EndColumn { get; init; }
    /// <summary>Scalar text (empty for collections).</summary>
    public string Value { get; init; } = "";
    /// <summary>True when the scalar was quoted or a block scalar, so it is a string whatever it looks like.</summary>
    public bool Quoted { get; init; }
    public string? Tag { get; init; }
    public List<YPair> Pairs { get; } = [];
    public List<YNode> Items { get; } = [];

    public YScalarType ScalarType
    {
        get
        {
            if (Kind != YNodeKind.Scalar)
            {
                return YScalarType.String;
            }

            if (Tag is { } tag)
            {
                // Explicit tags win over what the text looks like.
                return tag switch
                {
                    "tag:yaml.org,2002:str" or "!!str" => YScalarType.String,
                    "tag:yaml.org,2002:int" or "!!int" => YScalarType.Integer,
                    "tag:yaml.org,2002:float" or "!!float" => YScalarType.Number,
                    "tag:yaml.org,2002:bool" or "!!bool" => YScalarType.Boolean,
                    "tag:yaml.org,2002:null" or "!!null" => YScalarType.Null,
                    _ => YScalarType.String,
                };
            }

            return Quoted ? YScalarType.String : PlainType(Value);
        }
    }

    /// <summary>The value of <paramref name="key"/> in a mapping (the first, if the key is duplicated).</summary>
    public YNode? Get(string key)
    {
        if (Kind != YNodeKind.Mapping)
        {
            return null;
        }

        foreach (var pair in Pairs)
        {
            if (pair.Key.Kind == YNodeKind.Scalar && string.Equals(pair.Key.Value, key, StringComparison.Ordinal))
            {
                return pair.Value;
            }
        }

        return null;
    }

    public bool IsNull => Kind == YNodeKind.Scalar && ScalarType == YScalarType.Null;

    public string Describe() => Kind switch
    {
        YNodeKind.Mapping => "a mapping",
        YNodeKind.Sequence => "a list",
        YNodeKind.Scalar => ScalarType switch
        {
            YScalarType.Null => "empty",
            YScalarType.Boolean => $"a boolean ({Value})",
            YScalarType.Integer => $"an integer ({Value})",
            YScalarType.Number => $"a number ({Value})",
            YScalarType.String => $"a string (\"{Shorten(Value)}\")",
            _ => "a scalar",
        },
        _ => "a node",
    };

    private static string Shorten(string text)
    {
        var oneLine = text.Replace('\n', ' ');
        return oneLine.Length <= 40 ? oneLine : string.Concat(oneLine.AsSpan(0, 37), "...");
    }

    /// <summary>YAML 1.2 core schema resolution of a plain scalar.</summary>
    internal static YScalarType PlainType(string value)
    {
        switch (value)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return YScalarType.Null;
            case "true" or "True" or "TRUE" or "false" or "False" or "FALSE":
                return YScalarType.Boolean;
            default:
                break;
        }

        if (IsInteger(value))
        {
            return YScalarType.Integer;
        }

        if (value is ".inf" or "-.inf" or "+.inf" or ".nan" or ".NaN" or ".NAN" or ".Inf" or ".INF")
        {
            return YScalarType.Number;
        }

        var first = value[0];
        if ((char.IsAsciiDigit(first) || first is '-' or '+' or '.')
            && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && !value.Contains(',', StringComparison.Ordinal))
        {
            return YScalarType.Number;
        }

        return YScalarType.String;
    }

    private static bool IsInteger(string value)
    {
        var span = value.AsSpan();
        if (span.StartsWith("0x", StringComparison.Ordinal) || span.StartsWith("0o", StringComparison.Ordinal))
        {
            return span.Length > 2;
        }

        if (span.Length > 0 && span[0] is '-' or '+')
        {
            span = span[1..];
        }

        if (span.Length == 0)
        {
            return false;
        }

        foreach (var c in span)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A syntax or structure problem found while reading the YAML.</summary>
internal sealed record YamlProblem(int Line, int Column, string Message);

/// <summary>Reads YAML text into <see cref="YNode"/>s, collecting problems instead of throwing.</summary>
internal static class YamlTree
{
    /// <summary>
    /// Parses the first document. Returns null when the text is not YAML at all; on a syntax error the
    /// problem is reported with the parser's position and whatever was read before it is discarded,
    /// because a half-read tree would only produce misleading follow-on errors.
    /// </summary>
    public static YNode? Parse(string text, List<YamlProblem> problems)
    {
        var anchors = new Dictionary<string, YNode>(StringComparer.Ordinal);
        try
        {
            var parser = new Parser(new StringReader(text));
            parser.Consume<StreamStart>();
            if (parser.Accept<StreamEnd>(out _))
            {
                return null;
            }

            parser.Consume<DocumentStart>();
            var root = ReadNode(parser, anchors, problems);
            parser.Consume<DocumentEnd>();
            if (parser.Accept<DocumentStart>(out var extra))
            {
                problems.Add(new YamlProblem((int)extra.Start.Line, (int)extra.Start.Column, "a policy file holds one YAML document; remove the second '---'"));
            }

            return root;
        }
        catch (YamlException ex)
        {
            var line = (int)Math.Max(1, ex.Start.Line);
            var column = (int)Math.Max(1, ex.Start.Column);
            problems.Add(new YamlProblem(line, column, "YAML syntax error: " + CleanMessage(ex)));
            return null;
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's parser can run out of events on some truncated inputs without a YamlException;
            // the text simply ends where more YAML was expected.
            var lines = text.Split('\n');
            problems.Add(new YamlProblem(lines.Length, lines[^1].TrimEnd('\r').Length + 1, "YAML syntax error: the file ends unexpectedly"));
            return null;
        }
    }

    private static string CleanMessage(YamlException ex)
    {
        // YamlDotNet prefixes messages with "(Line: 3, Col: 5, Idx: ...) - (...): "; we print our own position.
        var message = ex.Message;
        var marker = message.IndexOf("): ", StringComparison.Ordinal);
        if (message.StartsWith("(Line:", StringComparison.Ordinal) && marker >= 0)
        {
            message = message[(marker + 3)..];
        }

        message = message.Trim();
        return message.Length == 0 ? "the text is not valid YAML" : char.ToLowerInvariant(message[0]) + message[1..];
    }

    private static YNode ReadNode(IParser parser, Dictionary<string, YNode> anchors, List<YamlProblem> problems)
    {
        var ev = parser.Consume<ParsingEvent>();
        switch (ev)
        {
            case AnchorAlias alias:
                if (anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    return target;
                }

                problems.Add(new YamlProblem((int)alias.Start.Line, (int)alias.Start.Column, $"unknown alias '*{alias.Value.Value}'"));
                return new YNode { Kind = YNodeKind.Scalar, Line = (int)alias.Start.Line, Column = (int)alias.Start.Column, Value = "" };

            case Scalar scalar:
            {
                var node = new YNode
                {
                    Kind = YNodeKind.Scalar,
                    Line = (int)scalar.Start.Line,
                    Column = (int)scalar.Start.Column,
                    EndLine = (int)scalar.End.Line,
                    EndColumn = (int)scalar.End.Column,
                    Value = scalar.Value,
                    Quoted = scalar.Style is not ScalarStyle.Plain and not ScalarStyle.Any,
                    Tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value,
                };
                Remember(scalar, node, anchors);
                return node;
            }

            case MappingStart mapStart:
            {
                var node = new YNode
                {
                    Kind = YNodeKind.Mapping,
                    Line = (int)mapStart.Start.Line,
                    Column = (int)mapStart.Start.Column,
                    Tag = mapStart.Tag.IsEmpty ? null : mapStart.Tag.Value,
                };
                Remember(mapStart, node, anchors);
                var seen = new Dictionary<string, YNode>(StringComparer.Ordinal);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = ReadNode(parser, anchors, problems);
                    var value = ReadNode(parser, anchors, problems);
                    if (key.Kind != YNodeKind.Scalar)
                    {
                        problems.Add(new YamlProblem(key.Line, key.Column, "a key must be a plain name, not " + key.Describe()));
                        continue;
                    }

                    if (seen.TryGetValue(key.Value, out var first))
                    {
                        problems.Add(new YamlProblem(key.Line, key.Column, $"duplicate key '{key.Value}' (first at line {first.Line})"));
                        continue;
                    }

                    seen.Add(key.Value, key);
                    node.Pairs.Add(new YPair(key, value));
                }

                return node;
            }

            case SequenceStart seqStart:
            {
                var node = new YNode
                {
                    Kind = YNodeKind.Sequence,
                    Line = (int)seqStart.Start.Line,
                    Column = (int)seqStart.Start.Column,
                    Tag = seqStart.Tag.IsEmpty ? null : seqStart.Tag.Value,
                };
                Remember(seqStart, node, anchors);
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    node.Items.Add(ReadNode(parser, anchors, problems));
                }

                return node;
            }

            default:
                throw new YamlException(ev.Start, ev.End, "unexpected YAML event " + ev.GetType().Name);
        }
    }

    private static void Remember(NodeEvent ev, YNode node, Dictionary<string, YNode> anchors)
    {
        if (!ev.Anchor.IsEmpty)
        {
            anchors[ev.Anchor.Value] = node;
        }
    }
}
