using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>The <c>consents:</c> section → <see cref="ConsentsPolicy"/> (F11, C14). Runs only on a checked tree.</summary>
internal static class ConsentsModelBuilder
{
    public static ConsentsPolicy Build(YNode? node, IReadOnlyList<Group> groups)
    {
        if (node is not { Kind: YNodeKind.Mapping })
        {
            return new ConsentsPolicy();
        }

        var pupilGroups = groups.Where(g => g.Kind == PersonKind.Pupil).Select(g => g.Id).ToList();
        var publication = node.Get("publication");
        return new ConsentsPolicy
        {
            AnsweredBy = Str(node.Get("answered_by")) ?? "parents",
            FirstNamesOnly = Str(publication?.Get("first_names_only")) is { } f && bool.TryParse(f, out var first) ? first : null,
            HomeAddress = Str(publication?.Get("home_address")),
            Questions = Items(node.Get("questions")).Select(q => new ConsentQuestion
            {
                Id = Str(q.Get("id")) ?? "",
                Text = Str(q.Get("text"))?.Trim() ?? "",
                Channel = Str(q.Get("channel")) ?? "",
                Groups = q.Get("groups") is { Kind: YNodeKind.Sequence } list ? Strings(list) : pupilGroups,
                ChildVerbal = Str(q.Get("child_verbal")) is { } v && bool.TryParse(v, out var verbal) && verbal,
                Renew = Str(q.Get("renew")) == "never" ? ConsentRenewal.Never : ConsentRenewal.Yearly,
                Requirement = Str(q.Get("requirement")),
            }).ToList(),
        };
    }
}
