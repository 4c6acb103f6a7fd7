using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>The <c>sanctions:</c> section → <see cref="SanctionsPolicy"/> (issue 15 part 6). Runs only on a checked tree.</summary>
internal static class SanctionsModelBuilder
{
    public static SanctionsPolicy Build(YNode? node)
    {
        if (node is not { Kind: YNodeKind.Mapping })
        {
            return new SanctionsPolicy();
        }

        var letter = node.Get("letter_to_parents");
        return new SanctionsPolicy
        {
            Kinds = Items(node.Get("kinds")).Select(k => new SanctionKindPolicy
            {
                Kind = Str(k.Get("kind")) ?? "",
                DefaultLength = Duration(k.Get("default_length")),
                MaxLength = Duration(k.Get("max_length")),
                TellParents = Str(k.Get("tell_parents")) switch
                {
                    "always" => TellParents.Always,
                    "offer" => TellParents.Offer,
                    _ => TellParents.Never,
                },
                Requirements = Strings(k.Get("requirements")),
            }).ToList(),
            Reasons = node.Get("reasons") is { Kind: YNodeKind.Mapping } reasons
                ? reasons.Pairs.Select(p => new SanctionReasonPolicy
                {
                    Key = p.Key.Value,
                    Label = Str(p.Value.Get("label"))?.Trim() is { Length: > 0 } label ? label : SanctionReasonKeys.DefaultLabel(p.Key.Value),
                    Requirements = Strings(p.Value.Get("requirements")),
                    ByGroup = p.Value.Get("by_group") is { Kind: YNodeKind.Mapping } by
                        ? by.Pairs.Select(g => new KeyValuePair<string, string>(g.Key.Value, Str(g.Value) ?? "")).ToList()
                        : [],
                    Notify = Strings(p.Value.Get("notify")),
                }).ToList()
                : [],
            LetterToParents = letter is { Kind: YNodeKind.Mapping }
                ? new ParentLetterTemplate((Str(letter.Get("subject")) ?? "").Trim(), (Str(letter.Get("body")) ?? "").TrimEnd() + "\n")
                : null,
        };
    }

    private static CalendarDuration? Duration(YNode? node) =>
        Str(node) is { } text && CalendarDuration.TryParse(text, out var d, out _) ? d : null;
}
