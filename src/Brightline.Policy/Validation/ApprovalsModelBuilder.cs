using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>
/// The <c>approvals:</c> section → <see cref="ApprovalsPolicy"/>: the built-in types, changed, removed or added to
/// by the types the section names. Runs only on a tree that passed every check.
/// </summary>
internal static class ApprovalsModelBuilder
{
    public static ApprovalsPolicy Build(YNode? node, string? staffGroup, string? guestGroup, bool deviceRequests)
    {
        var types = ApprovalsPolicy.Defaults(staffGroup, guestGroup, deviceRequests).ToList();
        if (node?.Get("types") is not { Kind: YNodeKind.Mapping } map)
        {
            return new ApprovalsPolicy { Types = types };
        }

        foreach (var (key, entry) in map.Pairs)
        {
            var id = key.Value;
            var index = types.FindIndex(t => string.Equals(t.Id, id, StringComparison.Ordinal));
            if (entry.Get("enabled") is { } enabled && bool.TryParse(enabled.Value, out var on) && !on)
            {
                if (index >= 0)
                {
                    types.RemoveAt(index);
                }

                continue;
            }

            var kind = Str(entry.Get("kind")) ?? id;
            var basis = index >= 0 && string.Equals(types[index].Kind, kind, StringComparison.Ordinal)
                ? types[index]
                : ApprovalsPolicy.AllDefaults(staffGroup, guestGroup).First(t => string.Equals(t.Kind, kind, StringComparison.Ordinal)) with { Id = id };
            var type = basis with
            {
                Title = Str(entry.Get("title"))?.Trim() ?? basis.Title,
                Requesters = entry.Get("requesters") is { } requesters ? Strings(requesters) : basis.Requesters,
                Approvers = entry.Get("approvers") is { } approvers ? Strings(approvers) : basis.Approvers,
                // agreement: with no text removes the built-in agreement.
                Agreement = entry.Get("agreement") is { } agreement ? (Str(agreement)?.Trim() is { Length: > 0 } text ? text : null) : basis.Agreement,
                MaxDuration = ApprovalsPolicy.ParseDuration(Str(entry.Get("max_duration"))) ?? basis.MaxDuration,
                DefaultDuration = ApprovalsPolicy.ParseDuration(Str(entry.Get("default_duration"))) ?? basis.DefaultDuration,
                ReasonRequired = entry.Get("reason_required") is { } reason ? bool.Parse(reason.Value) : basis.ReasonRequired,
                Group = Str(entry.Get("group")) ?? basis.Group,
                MaxVouchers = Int(entry.Get("max_vouchers")) ?? basis.MaxVouchers,
                Notify = entry.Get("notify") is { } notify ? Strings(notify) : basis.Notify,
                Requirement = Str(entry.Get("requirement")) ?? basis.Requirement,
                Relaxes = entry.Get("relaxes") is { } relaxes
                    ? new ExemptionScope(relaxes.Get("categories") is { } c ? Strings(c) : [], relaxes.Get("rules") is { } r ? Strings(r) : [])
                    : basis.Relaxes,
            };

            // A shorter maximum shortens the built-in default with it; a default given explicitly was checked against it.
            if (entry.Get("default_duration") is null && type.DefaultDuration > type.MaxDuration)
            {
                type = type with { DefaultDuration = type.MaxDuration };
            }

            if (index >= 0)
            {
                types[index] = type;
            }
            else
            {
                types.Add(type);
            }
        }

        return new ApprovalsPolicy { Types = types };
    }
}
