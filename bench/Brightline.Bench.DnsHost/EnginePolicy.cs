using Brightline.Dns.Policy;
using Brightline.Filtering;

namespace Brightline.Bench.DnsHost;

/// <summary>
/// The engine-to-DNS adapter, reduced to what the benchmark needs: every client maps to one profile
/// (no subnet table, no address bindings, no access gate). Blocked → NXDOMAIN (what Unbound's
/// <c>always_nxdomain</c> answers), allowed → forward, rewrite → CNAME; time-sensitive decisions get a
/// 30 s TTL cap. Log payloads are prepared per category, so the adapter itself allocates nothing.
/// </summary>
public sealed class EnginePolicy : IDnsQueryPolicy
{
    private static readonly TimeSpan s_shortTtl = TimeSpan.FromSeconds(30);

    private readonly FilterEngine _engine;
    private readonly string _profile;
    private readonly TimeProvider _clock;
    private readonly DnsLogPayload[] _blockPayloads;
    private readonly DnsLogPayload _allowPayload;

    public EnginePolicy(FilterEngine engine, string profile, TimeProvider clock)
    {
        _engine = engine;
        _profile = profile;
        _clock = clock;
        _allowPayload = new DnsLogPayload(Profile: profile);
        int max = Categories.All.Max(c => (int)c.Category);
        _blockPayloads = new DnsLogPayload[max + 1];
        foreach (CategoryInfo info in Categories.All)
        {
            _blockPayloads[(int)info.Category] = new DnsLogPayload(Category: info.Name, Reason: "category", Profile: profile);
        }
    }

    public ValueTask<DnsPolicyAnswer> DecideAsync(DnsQueryContext context, CancellationToken cancellationToken)
    {
        FilterDecision decision = _engine.Decide(new FilterRequest(_profile, context.QueryName, _clock.GetUtcNow()));
        TimeSpan? cap = decision.IsTimeSensitive ? s_shortTtl : null;
        DnsPolicyAnswer answer = decision.Outcome switch
        {
            DecisionOutcome.Allow => cap is null ? DnsPolicyAnswer.Forward() : DnsPolicyAnswer.Forward(cap, _allowPayload),
            DecisionOutcome.Block => DnsPolicyAnswer.BlockWithNxDomain(cap, decision.Category is { } category ? _blockPayloads[(int)category] : _allowPayload),
            DecisionOutcome.Rewrite => DnsPolicyAnswer.Rewrite(decision.RewriteHost ?? "", cap, _allowPayload),
            _ => throw new InvalidOperationException($"Unknown outcome {decision.Outcome}."),
        };
        return ValueTask.FromResult(answer);
    }
}
