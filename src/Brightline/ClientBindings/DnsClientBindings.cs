using System.Collections.Concurrent;
using System.Net;
using Brightline.AccessChanges;
using Brightline.Data;
using Brightline.Data.Entities;
using Brightline.DnsFiltering;
using Brightline.Kernel;
using Microsoft.EntityFrameworkCore;

namespace Brightline.ClientBindings;

/// <summary>
/// Which person is using which address: the portal binds a device's address to a person when they sign
/// in, so the DNS filter applies their own profile (and the access gate's answer for them) instead of
/// the network's. Bindings lapse at <c>Until</c>; a later sign-in from the same address replaces the earlier one.
/// </summary>
/// <remarks>
/// Each process answers from memory. A sign-in through the portal is also stored
/// (<see cref="BindAndStoreAsync"/>, table <c>device_bindings</c>), and a process that serves DNS
/// reads the stored bindings every <see cref="SyncInterval"/> (<see cref="SyncInBackgroundIfStale"/>,
/// called on its answer path and by <see cref="DnsHost"/>'s timer, and once at start-up), so a DNS filter running as its own process
/// (<c>brightline dns</c>) follows sign-ins and sign-outs made in the portal within seconds. A sync
/// replaces only the copies it read before; a binding made in this process stays until it lapses or
/// is unbound here, unless the store holds a later sign-in for the same address. A sign-in or sign-out is
/// also published as an access change, so a process that hears of one from another process reads the stored
/// bindings at once (within the access-change poll) rather than at its next sync.
/// </remarks>
public sealed partial class DnsClientBindings(TimeProvider time, IServiceScopeFactory scopes, IAccessChanges changes, ILogger<DnsClientBindings> logger)
    : IAccessChangeSubscriber
{
    /// <summary>Upper bound on bindings kept, so a flood of sign-ins cannot grow memory without limit.</summary>
    public const int MaxBindings = 200_000;

    /// <summary>How often a DNS-serving process reads the stored bindings.</summary>
    public static readonly TimeSpan SyncInterval = TimeSpan.FromSeconds(3);

    /// <summary>How often lapsed rows are deleted from the store.</summary>
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<IPAddress, DnsClientBinding> _bindings = new();
    private StaleRefresh? _sync;
    private int _syncQueued;
    private DateTimeOffset _lastPurge = DateTimeOffset.MinValue;

    public int Count => _bindings.Count;

    /// <summary>
    /// Binds <paramref name="address"/> to the person until <paramref name="until"/> in this process only
    /// (see <see cref="BindAndStoreAsync"/> for a sign-in every process should see).
    /// </summary>
    public void Bind(IPAddress address, string schoolId, Guid personId, DateTimeOffset until, string? network = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentException.ThrowIfNullOrWhiteSpace(schoolId);
        address = Normalise(address);
        Put(new DnsClientBinding(address, schoolId, personId, until.ToUniversalTime()) { BoundAt = time.GetUtcNow(), Network = network });
    }

    /// <summary>
    /// A portal sign-in: binds here at once and stores the binding for other processes (the portal
    /// calls this with the request's remote address and <c>now + sign_in_binding_minutes</c>). RADIUS accounting also
    /// names the policy's <paramref name="network"/> the device is on, so its location rules apply.
    /// </summary>
    public async Task BindAndStoreAsync(BrightlineDbContext db, IPAddress address, string schoolId, Guid personId, DateTimeOffset until, CancellationToken cancellationToken,
        string? network = null)
    {
        Bind(address, schoolId, personId, until, network);
        var key = Normalise(address).ToString();
        var now = time.GetUtcNow();
        for (var attempt = 0; ; attempt++)
        {
            var row = await db.Set<DeviceBinding>().FindAsync([key], cancellationToken);
            var added = row is null;
            row ??= db.Add(new DeviceBinding { Address = key, SchoolId = schoolId }).Entity;
            row.SchoolId = schoolId;
            row.PersonId = personId;
            row.BoundAt = now;
            row.Until = until.ToUniversalTime();
            row.Network = network;
            if (attempt == 0)
            {
                changes.Publish(db, schoolId, personId, AccessChangeReasons.SignedIn);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return;
            }
            catch (DbUpdateException) when (added && attempt == 0)
            {
                // Another sign-in from the same address stored its row first: replace it (the later sign-in wins).
                db.Entry(row).State = EntityState.Detached;
            }
        }
    }

    /// <summary>Removes the binding here only.</summary>
    public bool Unbind(IPAddress address) => _bindings.TryRemove(Normalise(address), out _);

    /// <summary>A portal sign-out: removes the binding here and from the store, so every process drops it.</summary>
    public async Task UnbindAndForgetAsync(BrightlineDbContext db, IPAddress address, CancellationToken cancellationToken)
    {
        Unbind(address);
        var key = Normalise(address).ToString();
        await using var tx = db.Database.CurrentTransaction is null ? await db.Database.BeginTransactionAsync(cancellationToken) : null;
        var signedOut = await db.Set<DeviceBinding>().AsNoTracking().Where(b => b.Address == key)
            .Select(b => new { b.SchoolId, b.PersonId }).FirstOrDefaultAsync(cancellationToken);
        if (signedOut is null)
        {
            return;
        }

        await db.Set<DeviceBinding>().Where(b => b.Address == key).ExecuteDeleteAsync(cancellationToken);
        changes.Publish(db, signedOut.SchoolId, signedOut.PersonId, AccessChangeReasons.SignedOut);
        await db.SaveChangesAsync(cancellationToken);
        if (tx is not null)
        {
            await tx.CommitAsync(cancellationToken);
        }
    }

    /// <summary>
    /// A sign-in or sign-out (perhaps in another process): read the stored bindings now, in the background — only in
    /// a process that follows them (one serving DNS), and coalesced, so a burst of sign-ins at the start of the day
    /// costs one read at a time rather than one each.
    /// </summary>
    public void OnChanged(AccessChange change)
    {
        if (change.Reason is not (AccessChangeReasons.SignedIn or AccessChangeReasons.SignedOut) || Volatile.Read(ref _sync) is null
            || Interlocked.Exchange(ref _syncQueued, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                // Cleared before reading, so a sign-in stored while this read runs queues one more.
                Interlocked.Exchange(ref _syncQueued, 0);
                await SyncAsync(CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                LogSyncFailed(logger, ex.GetType().Name);
            }
        });
    }

    [LoggerMessage(EventId = 3102, Level = LogLevel.Warning, Message = "Reading the stored sign-in bindings after a sign-in elsewhere failed ({Error}); the periodic sync follows it.")]
    private static partial void LogSyncFailed(ILogger logger, string error);

    /// <summary>The live binding for <paramref name="address"/>, if any.</summary>
    public DnsClientBinding? Find(IPAddress address)
    {
        address = Normalise(address);
        if (!_bindings.TryGetValue(address, out var binding))
        {
            return null;
        }

        if (binding.Until > time.GetUtcNow())
        {
            return binding;
        }

        _bindings.TryRemove(KeyValuePair.Create(address, binding));
        return null;
    }

    /// <summary>Drops every lapsed binding from memory.</summary>
    public int PurgeExpired()
    {
        var now = time.GetUtcNow();
        var removed = 0;
        foreach (var (address, binding) in _bindings)
        {
            if (binding.Until <= now && _bindings.TryRemove(KeyValuePair.Create(address, binding)))
            {
                removed++;
            }
        }

        return removed;
    }

    private StaleRefresh Sync => LazyInitializer.EnsureInitialized(
        ref _sync, () => new StaleRefresh(SyncInterval, time, logger, "Reading the stored sign-in bindings", ApplyStoredAsync));

    /// <summary>True when the stored bindings were last read more than <see cref="SyncInterval"/> ago.</summary>
    public bool IsStale => Sync.IsStale;

    /// <summary>Starts a read of the stored bindings in the background if one is due and none is running; never waits.</summary>
    public void SyncInBackgroundIfStale() => Sync.RunInBackgroundIfStale();

    /// <summary>
    /// Reads the live stored bindings and applies them: a stored binding replaces an earlier or stored
    /// copy of the same address, and a stored copy whose row is gone (signed out, lapsed, replaced) is dropped.
    /// </summary>
    public Task SyncAsync(CancellationToken cancellationToken) => Sync.RunAsync(cancellationToken);

    private async Task ApplyStoredAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BrightlineDbContext>();
        if (now - _lastPurge >= PurgeInterval)
        {
            await db.Set<DeviceBinding>().Where(b => b.Until <= now).ExecuteDeleteAsync(cancellationToken);
            _lastPurge = now;
        }

        var rows = await db.Set<DeviceBinding>().AsNoTracking().Where(b => b.Until > now).ToListAsync(cancellationToken);
        var stored = new HashSet<IPAddress>();
        foreach (var row in rows)
        {
            if (!IPAddress.TryParse(row.Address, out var address))
            {
                continue;
            }

            address = Normalise(address);
            stored.Add(address);
            var copy = new DnsClientBinding(address, row.SchoolId, row.PersonId, row.Until) { BoundAt = row.BoundAt, FromStore = true, Network = row.Network };
            if (!_bindings.TryGetValue(address, out var current) || current.FromStore || current.BoundAt <= row.BoundAt)
            {
                Put(copy);
            }
        }

        foreach (var (address, binding) in _bindings)
        {
            if (binding.FromStore && !stored.Contains(address))
            {
                _bindings.TryRemove(KeyValuePair.Create(address, binding));
            }
        }
    }

    private void Put(DnsClientBinding binding)
    {
        if (_bindings.Count >= MaxBindings)
        {
            PurgeExpired();
        }

        if (_bindings.Count < MaxBindings || _bindings.ContainsKey(binding.Address))
        {
            _bindings[binding.Address] = binding;
        }
    }

    private static IPAddress Normalise(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
