namespace Brightline.Network;

public enum RadiusAnswerKind
{
    /// <summary>authorize: the request is one Brightline decides; FreeRADIUS goes on to authenticate with Auth-Type rest.</summary>
    Continue,
    Accept,
    Reject,
}
