namespace Brightline.Network;

/// <summary>RFC 2866 §5.1 Acct-Status-Type values Brightline acts on; anything else numbered is <see cref="Other"/> and ignored.</summary>
public enum AccountingStatus
{
    Start,
    InterimUpdate,
    Stop,
    AccountingOn,
    AccountingOff,
    Other,
}
