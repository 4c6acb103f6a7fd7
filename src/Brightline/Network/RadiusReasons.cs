namespace Brightline.Network;

/// <summary>The stable codes of Brightline's RADIUS answers (the Reply-Message is the words; these are for logs and tests).</summary>
public static class RadiusReasons
{
    public const string Accepted = "accepted";
    public const string Quarantined = "quarantined";
    public const string NoPolicy = "no-policy";
    public const string UnknownNetwork = "unknown-network";
    public const string AccountOnDevicesNetwork = "account-on-school-devices-network";
    public const string UnknownDevice = "unknown-device";
    public const string MacMismatch = "mac-mismatch";
    public const string DeviceNoVlan = "device-no-vlan";
    public const string DeviceAccepted = "device-accepted";
    public const string DeviceNotInUse = "device-not-in-use";
    public const string PersonalDevice = "personal-device";
    public const string AccountOnGuestNetwork = "account-on-guest-network";
    public const string UnknownVoucher = "unknown-voucher";
    public const string VoucherRevoked = "voucher-revoked";
    public const string VoucherNotYet = "voucher-not-yet-valid";
    public const string VoucherEnded = "voucher-ended";
    public const string VoucherWrongPassword = "voucher-wrong-password";
    public const string GuestAccepted = "guest-accepted";
    public const string QuarantineDirect = "quarantine-direct";
    public const string UnknownAccount = "unknown-account";
    public const string NoPassword = "no-password";
    public const string WrongPassword = "wrong-password";
    public const string LockedOut = "locked-out";
    public const string NotAllowed = "not-allowed";
    public const string Left = "left";
    public const string Suspended = "suspended";
    public const string Unsigned = "agreement-unsigned";
    public const string Refused = "refused";
    public const string NoVlan = "no-vlan";
    public const string Closed = "outside-hours";
}
