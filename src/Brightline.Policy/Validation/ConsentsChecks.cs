using Brightline.Policy.Model;
using Brightline.Policy.Yaml;
using static Brightline.Policy.Validation.ModelBuilder;

namespace Brightline.Policy.Validation;

/// <summary>
/// Meaning checks for the <c>consents:</c> section (F11, C14; docs/consents.md) that the schema cannot express: unique
/// question IDs, groups that exist and are pupil groups, a text that says something, and one question per channel for
/// any child (two website questions covering the same group would make "may this child be on the website?" ambiguous).
/// The channel vocabulary and renew words are the schema's (with a "did you mean").
/// </summary>
internal sealed class ConsentsChecks(List<YamlProblem> problems, IReadOnlyDictionary<string, string> groupKinds)
{
    public void Run(YNode? consents)
    {
        if (consents is not { Kind: YNodeKind.Mapping })
        {
            return;
        }

        var pupilGroups = groupKinds.Where(g => g.Value == "pupil").Select(g => g.Key).ToList();
        var ids = new Dictionary<string, YNode>(StringComparer.Ordinal);
        var channelGroups = new Dictionary<(string Channel, string Group), YNode>();
        foreach (var question in Items(consents.Get("questions")))
        {
            if (question.Kind != YNodeKind.Mapping)
            {
                continue;
            }

            var idNode = question.Get("id");
            var id = Str(idNode);
            if (id is not null && !ids.TryAdd(id, idNode!))
            {
                Add(idNode!, $"duplicate consent question id '{id}' (first at line {ids[id].Line})");
            }

            var owner = $"consent question '{id}'";
            if (question.Get("text") is { } text && Str(text) is { } words && string.IsNullOrWhiteSpace(words))
            {
                Add(text, $"{owner} has a blank 'text'; write what the parent is asked");
            }

            var channel = Str(question.Get("channel"));
            List<string> groups;
            if (question.Get("groups") is { Kind: YNodeKind.Sequence } groupList)
            {
                groups = [];
                foreach (var groupNode in groupList.Items)
                {
                    if (Str(groupNode) is not { } group)
                    {
                        continue;
                    }

                    if (!groupKinds.TryGetValue(group, out var kind))
                    {
                        Add(groupNode, $"{owner} refers to group '{group}', which is not defined{Suggest.Hint(group, groupKinds.Keys)}");
                        continue;
                    }

                    if (kind != "pupil")
                    {
                        Add(groupNode, $"{owner}: group '{group}' is not a pupil group; consent is asked about children{Suggest.Hint(group, pupilGroups)}");
                        continue;
                    }

                    groups.Add(group);
                    Claim(channelGroups, channel, group, groupNode, owner);
                }
            }
            else
            {
                if (pupilGroups.Count == 0)
                {
                    Add(question, $"{owner} names no groups and the policy has no pupil group to ask about");
                }

                foreach (var group in pupilGroups)
                {
                    Claim(channelGroups, channel, group, question, owner);
                }
            }
        }
    }

    private void Claim(Dictionary<(string Channel, string Group), YNode> channelGroups, string? channel, string group, YNode at, string owner)
    {
        if (channel is null || !ConsentChannels.IsKnown(channel))
        {
            return; // the schema has said the channel is wrong
        }

        if (!channelGroups.TryAdd((channel, group), at))
        {
            Add(at, $"{owner}: group '{group}' is already asked about channel '{channel}' by the question at line {channelGroups[(channel, group)].Line}; one question per channel per child");
        }
    }

    private void Add(YNode at, string message) => problems.Add(new YamlProblem(at.Line, at.Column, message));
}
