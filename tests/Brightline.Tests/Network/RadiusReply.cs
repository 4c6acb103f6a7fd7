namespace Brightline.Tests.Network;

/// <summary>What radclient -x printed for one packet: the answer's code and its attributes (name → values).</summary>
internal sealed record RadiusReply(string Code, IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes, string Output)
{
    public string? this[string name] => Attributes.TryGetValue(name, out var values) ? values[0] : null;

    public static RadiusReply Parse(string output)
    {
        var lines = output.Split('\n');
        var start = Array.FindIndex(lines, l => l.StartsWith("Received ", StringComparison.Ordinal));
        if (start < 0)
        {
            return new RadiusReply("(no answer)", new Dictionary<string, IReadOnlyList<string>>(), output);
        }

        var code = lines[start].Split(' ')[1];
        var attributes = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var line in lines.Skip(start + 1).TakeWhile(l => l.StartsWith('\t') || l.StartsWith(' ')))
        {
            var eq = line.IndexOf(" = ", StringComparison.Ordinal);
            if (eq < 0)
            {
                continue;
            }

            // "Tunnel-Type:0 = VLAN": the tag is not part of the name tests ask for.
            var name = line[..eq].Trim();
            var colon = name.IndexOf(':', StringComparison.Ordinal);
            name = colon > 0 ? name[..colon] : name;
            var value = line[(eq + 3)..].Trim().Trim('"');
            if (!attributes.TryGetValue(name, out var list))
            {
                attributes[name] = list = [];
            }

            list.Add(value);
        }

        return new RadiusReply(code, attributes.ToDictionary(a => a.Key, a => (IReadOnlyList<string>)a.Value, StringComparer.Ordinal), output);
    }
}
