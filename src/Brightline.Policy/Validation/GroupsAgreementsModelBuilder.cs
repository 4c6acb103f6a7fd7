using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>
/// The issue-15 part-4 additions to groups and agreements: the <c>attributes:</c> the people import keeps, a group's
/// <c>where:</c>, an agreement's <c>questions:</c> and <c>parent_signs_for:</c>. Runs after the checks passed.
/// </summary>
internal static class GroupsAgreementsModelBuilder
{
    public static IReadOnlyList<PersonAttribute> Attributes(YNode? node) =>
        Items(node).Select(a => new PersonAttribute
        {
            Id = Str(a.Get("id")) ?? "",
            Columns = a.Get("column") is { Kind: YNodeKind.Sequence } list ? Strings(list)
                : Str(a.Get("column")) is { } one ? [one] : [Str(a.Get("id")) ?? ""],
            Values = Strings(a.Get("values")),
            Description = Str(a.Get("description")),
        }).ToList();

    /// <summary>A group's <c>where:</c>; values as written in the attribute's <c>values</c> when it lists them.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> Where(YNode? node)
    {
        var where = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        if (node is not { Kind: YNodeKind.Mapping })
        {
            return where;
        }

        foreach (var (key, value) in node.Pairs)
        {
            where[key.Value] = value.Kind == YNodeKind.Sequence ? Strings(value) : Str(value) is { } one ? [one] : [];
        }

        return where;
    }

    public static IReadOnlyList<AgreementQuestion> Questions(YNode? node) =>
        Items(node).Select(q => new AgreementQuestion
        {
            Id = Str(q.Get("id")) ?? "",
            Text = (Str(q.Get("text")) ?? "").Trim(),
            Type = Enum(q.Get("type"), QuestionType.YesNo),
            Required = !string.Equals(Str(q.Get("required")), "false", StringComparison.Ordinal),
        }).ToList();
}
