using System.CommandLine;

namespace Brightline.Policies;

/// <summary>`brightline policy check|render` — owned by the policy-language work.</summary>
public static class PolicyCommands
{
    public static Command Create() => new("policy", "Check and render policy files.");
}
