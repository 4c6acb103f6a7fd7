namespace Brightline.Network;

/// <summary>What one accounting request did to the address bindings.</summary>
public enum AccountingOutcome
{
    Bound,
    Unbound,
    Ignored,
}
