using System.Security.Cryptography;
using System.Text;
using Brightline.Data;
using Microsoft.EntityFrameworkCore;

namespace Brightline.Portal;

/// <summary>
/// The one-time setup token that lets whoever started the server create the first administrator. There is
/// no default password: the token exists only in this process's memory, is printed on the console, and is
/// compared by hash in constant time. Restarting the server makes a new one.
/// </summary>
public sealed class FirstRunSetup : IDisposable
{
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _setupGate = new(1, 1);
    private byte[] _hash;

    public FirstRunSetup()
    {
        SetupToken = NewToken();
        _hash = Hash(SetupToken);
    }

    /// <summary>The token to print (and, in tests, to use). Replaced once it has been used.</summary>
    public string SetupToken { get; private set; }

    public bool Matches(string? token)
    {
        if (string.IsNullOrEmpty(token))
        {
            return false;
        }

        lock (_lock)
        {
            return CryptographicOperations.FixedTimeEquals(Hash(token), _hash);
        }
    }

    /// <summary>Spends the token so the same link cannot create a second administrator.</summary>
    public void Consume()
    {
        lock (_lock)
        {
            SetupToken = NewToken();
            _hash = Hash(SetupToken);
        }
    }

    /// <summary>Holds off every other set-up in this process until the returned handle is disposed.</summary>
    public async Task<IDisposable> EnterAsync(CancellationToken cancellationToken)
    {
        await _setupGate.WaitAsync(cancellationToken);
        return new Exit(_setupGate);
    }

    public static async Task<bool> AdminExistsAsync(BrightlineDbContext db, CancellationToken cancellationToken) =>
        await db.SchoolMemberships.AnyAsync(m => m.Role == PortalRoles.Admin, cancellationToken);

    private sealed class Exit(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                gate.Release();
            }
        }
    }

    private static string NewToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public void Dispose() => _setupGate.Dispose();
}
