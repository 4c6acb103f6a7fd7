namespace Brightline.Policy.Tests;

/// <summary>
/// Mutates valid policies at random (seeded, so a failure reproduces) and checks the loader never
/// throws and always points inside the text it was given.
/// </summary>
public sealed class PolicyLoaderFuzzTests
{
    private const int Iterations = 400;
    private const string Garbage = ":-[]{}\"'#&*!|>%@`,? \t\\";

    [Theory]
    [InlineData("example.yaml", 20251125)]
    [InlineData("st-clements.yaml", 1)]
    [InlineData("omnicom-primary.yaml", 42)]
    public void Load_MutatedPolicy_NeverThrowsAndPositionsStayInsideTheFile(string file, int seed) =>
        Fuzz(File.ReadAllText(Path.Combine(RepoFiles.PoliciesDir, file)), seed);

    /// <summary>The typed feature sections, every key given, so mutations land in their checks and model builders.</summary>
    [Theory]
    [InlineData(7)]
    [InlineData(20261202)]
    public void Load_MutatedFeatureSections_NeverThrowAndPositionsStayInsideTheFile(int seed) => Fuzz(PolicyLoaderTests.Valid + """

        monitoring:
          notice: This computer is monitored.
          thresholds: { low: 5, medium: 50, high: 100, critical: 300 }
          alerts: { group_minutes: 5, immediate: [dsl] }
          escalation:
            after_minutes: 10
            roles: [dsl, head]
          viewers: [dsl, head]
          retention_days: 30
          digest: { day: monday, time: "08:30", roles: [head] }
        incidents:
          kinds:
            staff_violation: { label: Violations, notify: [head], read: [head, admin], record: [staff] }
            security: { retention_days: 30 }
            safeguarding: { retention_days: keep }
          serious: { count: 2, days: 14, notify: [dsl] }
          data_breach: { deadline_hours: 48, chase_hours: [40, 24] }
          line_reports: { head: [deputy_dsl] }
        approvals:
          types:
            class_unblock: { max_duration: 3h, default_duration: 90m, requesters: [teacher] }
            personal_device: { enabled: false }
            official_capacity: { group: staff, approvers: [head, bursar], notify: [head] }
            visit_wifi:
              kind: guest_wifi
              group: staff
              max_vouchers: 3
              reason_required: false
              agreement: I will look after the code.
              requirement: O22
        """, seed);

    private static void Fuzz(string original, int seed)
    {
        PolicyLoader.Load(original, "fuzz.yaml").Errors.ShouldBeEmpty("the unmutated text is valid");
        var random = new Random(seed);

        for (var i = 0; i < Iterations; i++)
        {
            var mutated = Mutate(original, random);
            PolicyLoadResult result = null!;
            Should.NotThrow(() => result = PolicyLoader.Load(mutated, "fuzz.yaml"), $"iteration {i}");

            var lines = mutated.Split('\n');
            result.Succeeded.ShouldBe(result.Errors.Count == 0 && result.Policy is not null);
            foreach (var error in result.Errors)
            {
                error.Line.ShouldBeInRange(1, lines.Length, $"iteration {i}: {error}");
                error.Column.ShouldBeInRange(1, lines[error.Line - 1].TrimEnd('\r').Length + 1, $"iteration {i}: {error}");
                error.Message.ShouldNotBeNullOrWhiteSpace();
            }
        }
    }

    private static string Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        var mutations = random.Next(1, 4);
        for (var m = 0; m < mutations && lines.Count > 0; m++)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(6))
            {
                case 0:
                    lines.RemoveAt(at);
                    break;
                case 1:
                    lines.Insert(at, lines[at]);
                    break;
                case 2:
                    var line = lines[at];
                    var pos = random.Next(line.Length + 1);
                    lines[at] = line.Insert(pos, Garbage[random.Next(Garbage.Length)].ToString());
                    break;
                case 3:
                    var joined = string.Join('\n', lines);
                    return joined[..random.Next(joined.Length + 1)];
                case 4:
                    lines[at] = new string(' ', random.Next(0, 8)) + lines[at].TrimStart();
                    break;
                default:
                    var other = random.Next(lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    break;
            }
        }

        return string.Join('\n', lines);
    }
}
