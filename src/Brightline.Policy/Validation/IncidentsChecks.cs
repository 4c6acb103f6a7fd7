using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>
/// Meaning checks for the <c>incidents:</c> section that the schema cannot express: a register's retention is a
/// number of days or <c>keep</c>, labels say something, and every data-breach reminder falls before the deadline.
/// Register kinds and roles are checked by the schema (with a "did you mean").
/// </summary>
internal sealed class IncidentsChecks(List<YamlProblem> problems)
{
    public const string Keep = "keep";

    public void Run(YNode? incidents)
    {
        if (incidents is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        if (incidents.Get("kinds") is { Kind: YNodeKind.Mapping } kinds)
        {
            foreach (var (key, kind) in kinds.Pairs)
            {
                CheckKind(key.Value, kind);
            }
        }

        CheckChaseHours(incidents.Get("data_breach"));
    }

    private void Add(YNode at, string message) => problems.Add(new YamlProblem(at.Line, at.Column, message));

    private void CheckKind(string key, YNode kind)
    {
        if (kind.Kind != YNodeKind.Mapping)
        {
            return;
        }

        if (kind.Get("label") is { } label && Str(label) is { } text && string.IsNullOrWhiteSpace(text))
        {
            Add(label, $"incidents kind '{key}' has a blank 'label'; name the register or remove the key to keep '{IncidentsPolicy.DefaultKinds.FirstOrDefault(k => string.Equals(k.Key, key, StringComparison.Ordinal))?.Label}'");
        }

        if (kind.Get("retention_days") is { ScalarType: YScalarType.String } retention && !string.Equals(retention.Value.Trim(), Keep, StringComparison.Ordinal))
        {
            Add(retention, $"incidents kind '{key}' 'retention_days' must be a whole number of days or '{Keep}', not '{retention.Value}'{Suggest.Hint(retention.Value, [Keep])}");
        }
    }

    private void CheckChaseHours(YNode? breach)
    {
        if (breach is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        var deadline = Int(breach.Get("deadline_hours")) ?? IncidentsPolicy.DefaultBreachDeadlineHours;
        if (deadline < 1)
        {
            return; // the schema has reported the deadline; measuring reminders against it would only repeat that
        }

        foreach (var chase in Items(breach.Get("chase_hours")))
        {
            if (Int(chase) is { } hours && hours >= deadline)
            {
                Add(chase, $"incidents data_breach 'chase_hours': a reminder at {hours} hours is not before the {deadline}-hour deadline; each must come before it");
            }
        }
    }
}
