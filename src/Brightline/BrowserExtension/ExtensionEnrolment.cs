using Brightline.Audit;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.BrowserExtension;

/// <summary>
/// Enrols a browser: the school's enrolment key (from the managed policy) says which school, the browser
/// profile's email says who. Only a current member of that school with that email is enrolled; the token
/// is bound to that person and the extension's device ID, so a shared device holds one token per account,
/// and enrolling again on the same device replaces that account's token. A refusal that names a school (its
/// key was found) is recorded for the Devices page.
/// </summary>
public sealed class ExtensionEnrolment(BrightlineDbContext db, AuditLog audit, EnrolmentRefusals refusals, ExtensionTokenCache tokens, TimeProvider time)
{
    public const string UnknownKey = "unknown-key";
    public const string RevokedKey = "revoked-key";
    public const string UnknownEmail = "unknown-email";
    public const string Leaver = "leaver";
    public const string LostDevice = "device-lost";

    /// <summary>The prefix of a monitoring device's token (as <c>Safeguarding.DeviceTokens</c> issues them).</summary>
    public const string MonitoringTokenPrefix = "bld_";

    public async Task<Enrolment> EnrolAsync(EnrolmentRequest request, string? clientAddress, CancellationToken cancellationToken)
    {
        var keyText = request.EnrolmentKey?.Trim() ?? "";
        var email = request.Email?.Trim() ?? "";
        var deviceId = request.DeviceId?.Trim() ?? "";
        var deviceName = string.IsNullOrWhiteSpace(request.DeviceName) ? "Browser" : request.DeviceName.Trim();
        if (keyText.Length is 0 or > 200 || email.Length is 0 or > 320 || !email.Contains('@', StringComparison.Ordinal) || deviceId.Length is 0 or > 100)
        {
            throw new InvalidException("Send enrolmentKey, email (the browser's signed-in account) and deviceId (up to 100 characters).");
        }

        deviceName = deviceName.Length > 200 ? deviceName[..200] : deviceName;
        var hash = SecretTokens.Hash(keyText);
        var key = await db.Set<ExtensionEnrolmentKey>().AsNoTracking().FirstOrDefaultAsync(k => k.KeyHash == hash, cancellationToken)
            ?? throw new EnrolmentRefusedException(StatusCodes.Status401Unauthorized, UnknownKey, "Enrolment key not recognised",
                "The enrolment key in the browser's managed policy is not one Brightline issued. Ask the school's IT provider to check the policy.");
        if (key.RevokedAt is not null)
        {
            await refusals.RecordAsync(key.SchoolId, email, deviceName, RevokedKey, cancellationToken);
            throw new EnrolmentRefusedException(StatusCodes.Status403Forbidden, RevokedKey, "Enrolment key revoked",
                "The school has revoked this enrolment key. Ask the school's IT provider to put the new key in the browser's managed policy.");
        }

        // Only the key's school is searched: a key never enrols anyone of another school.
        var lowered = email.ToLowerInvariant();
#pragma warning disable CA1862, CA1311 // EF translates ToLower() to SQL LOWER() on both providers; the StringComparison overloads do not translate.
        var people = await db.People.AsNoTracking()
            .Where(p => p.SchoolId == key.SchoolId && p.Email != null && p.Email.ToLower() == lowered)
            .ToListAsync(cancellationToken);
#pragma warning restore CA1862, CA1311
        var today = SchoolClock.Today(time);
        var person = people.FirstOrDefault(p => p.LeftOn is not { } left || left > today);
        if (person is null)
        {
            await refusals.RecordAsync(key.SchoolId, email, deviceName, people.Count > 0 ? Leaver : UnknownEmail, cancellationToken);
            throw people.Count > 0
                ? new EnrolmentRefusedException(StatusCodes.Status403Forbidden, Leaver, "Account has left the school",
                    "This account belongs to someone who has left the school, so Brightline does not filter or monitor it here.")
                : new EnrolmentRefusedException(StatusCodes.Status404NotFound, UnknownEmail, "Account not known to the school",
                    "No one at the school has this email address. Sign in to the browser with your school account, or ask the school office to check your record.");
        }

        // F7: a browser on a device the register knows (by the serial or asset ID a managed Chromebook reports) is tied
        // to it, so a lost or stolen report revokes its tokens; a device already reported so enrols no one.
        var registered = await RegisterDeviceAsync(key.SchoolId, request.SerialNumber, request.AssetTag, cancellationToken);
        if (registered is { State: DeviceState.Lost or DeviceState.Stolen })
        {
            await refusals.RecordAsync(key.SchoolId, email, deviceName, LostDevice, cancellationToken);
            throw new EnrolmentRefusedException(StatusCodes.Status403Forbidden, LostDevice, "Device reported lost or stolen",
                $"This device ({registered.Name}) has been reported {(registered.State == DeviceState.Stolen ? "stolen" : "lost")} to the school, so Brightline will not enrol it. Hand it to the school's IT provider.");
        }

        var school = await db.Schools.AsNoTracking().Where(s => s.Id == key.SchoolId).Select(s => s.Name).FirstAsync(cancellationToken);
        var token = SecretTokens.New(ExtensionKeys.TokenPrefix);
        var now = StoredTime.Now(time);
        await using var tx = await db.Database.BeginTransactionAsync(cancellationToken);
        var row = await db.Set<ExtensionToken>().FirstOrDefaultAsync(t => t.SchoolId == key.SchoolId && t.DeviceId == deviceId && t.PersonId == person.Id, cancellationToken);
        if (row is null)
        {
            row = new ExtensionToken
            {
                Id = Guid.NewGuid(),
                SchoolId = key.SchoolId,
                PersonId = person.Id,
                DeviceId = deviceId,
                DeviceName = deviceName,
                TokenHash = "",
                TokenPrefix = "",
            };
            db.Set<ExtensionToken>().Add(row);
        }

        // Enrolling again (a reinstall, a lost token) replaces the token: the old one stops working.
        row.KeyId = key.Id;
        row.DeviceName = deviceName;
        row.TokenHash = SecretTokens.Hash(token);
        row.TokenPrefix = token[..10];
        row.EnrolledAt = now;
        row.LastSeenAt = now;
        row.RevokedAt = null;
        row.RevokedBy = null;
        row.RegisterDeviceId = registered?.Id;

        // Capture goes to the ingestion API, which takes a monitoring device's token: each enrolled browser is
        // also a monitoring device, with the same ID, whose token is replaced and revoked with the extension's.
        // (The row is written here, not through Safeguarding's DeviceTokens, so that Safeguarding's Devices page
        // may use this feature without a cycle; the ingestion API finds a device by the SHA-256 of its token.)
        var monitoringToken = SecretTokens.New(MonitoringTokenPrefix);
        var device = await db.Set<MonitoringDevice>().FirstOrDefaultAsync(d => d.Id == row.Id, cancellationToken);
        if (device is null)
        {
            device = new MonitoringDevice { Id = row.Id, SchoolId = key.SchoolId, Name = "", TokenHash = "", TokenPrefix = "", CreatedAt = now, CreatedBy = $"person:{person.Id}" };
            db.Set<MonitoringDevice>().Add(device);
        }

        var name = $"Browser extension: {deviceName} ({person.FullName})";
        device.Name = name.Length > 200 ? name[..200] : name;
        device.TokenHash = SecretTokens.Hash(monitoringToken);
        device.TokenPrefix = monitoringToken[..10];
        device.RevokedAt = null;
        device.RevokedBy = null;
        await db.SaveChangesAsync(cancellationToken);
        await audit.AppendAsync(key.SchoolId, $"person:{person.Id}", BrowserExtensionAuditActions.Enrolled, $"extension-token:{row.Id}", deviceName, clientAddress, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        // The token this one replaces stops working at once in this process.
        tokens.Forget(row.Id);
        return new Enrolment(token, monitoringToken, person.Id, person.FullName, key.SchoolId, school);
    }

    /// <summary>
    /// The register's device with this serial number (first) or asset tag at the school, compared ignoring case and
    /// surrounding spaces as the register's import stores them; null when neither is given or none matches.
    /// </summary>
    private async Task<Device?> RegisterDeviceAsync(string schoolId, string? serial, string? assetTag, CancellationToken cancellationToken)
    {
        serial = serial?.Trim();
        assetTag = assetTag?.Trim();
        if (string.IsNullOrEmpty(serial) && string.IsNullOrEmpty(assetTag))
        {
            return null;
        }

        if (serial?.Length > 100 || assetTag?.Length > 100)
        {
            throw new InvalidException("serialNumber and assetTag are at most 100 characters.");
        }

#pragma warning disable CA1862, CA1311 // EF translates ToUpper() to SQL UPPER() on both providers.
        var upperSerial = serial?.ToUpperInvariant();
        var upperTag = assetTag?.ToUpperInvariant();
        var candidates = await db.Set<Device>().AsNoTracking()
            .Where(d => d.SchoolId == schoolId && d.State != DeviceState.Disposed
                && ((upperSerial != null && d.Serial != null && d.Serial.ToUpper() == upperSerial) || (upperTag != null && d.AssetTag != null && d.AssetTag.ToUpper() == upperTag)))
            .ToListAsync(cancellationToken);
#pragma warning restore CA1862, CA1311
        return candidates.FirstOrDefault(d => upperSerial is not null && string.Equals(d.Serial?.ToUpperInvariant(), upperSerial, StringComparison.Ordinal))
            ?? candidates.FirstOrDefault();
    }
}
