namespace Brightline.Access;

/// <summary>May this person log in, use the network, use the internet — and if not, why. (Stub: being built.)</summary>
public sealed class AccessGate
{
    public Task<AccessDecision> EvaluateAsync(string schoolId, Guid personId, CancellationToken cancellationToken) => throw new NotImplementedException();
}
