using System.Runtime.InteropServices;

namespace Brightline.Filtering;

/// <summary>
/// Fixed (never moved) memory for a sealed <see cref="DomainTable"/>: its slots and, beside them,
/// its names. Freed by the finaliser once the table is unreachable.
/// </summary>
/// <remarks>
/// Tables of at least <see cref="HugePageThreshold"/> bytes are placed in native memory aligned to
/// 2 MB and, on Linux, advised with <c>madvise(MADV_HUGEPAGE)</c> before the first write, so the
/// kernel backs them with transparent huge pages even when the system setting is "madvise" (the
/// default on many distributions). A lookup in a 5-million-name list touches a random slot and a
/// random name in ~250 MB; with 4 KB pages each touch was a TLB miss too, and those misses were
/// the largest single cost of a warm lookup. If the advice is refused, or the kernel has no huge
/// pages, the table works exactly the same, only slower. Small tables (local rules, safe-search
/// hosts) use ordinary zeroed native memory, which is not worth a 2 MB page each.
/// </remarks>
internal sealed unsafe partial class SealedTableMemory
{
    public const long HugePageThreshold = 8L * 1024 * 1024;
    private const nuint HugePage = 2 * 1024 * 1024;
    private const int MadvHugePage = 14;

    private static long s_totalBytes;
    private readonly void* _block;
    private readonly long _bytes;

    public SealedTableMemory(long slotBytes, int arenaBytes)
    {
        // The slots start the block so they keep its 2 MB alignment; names follow, 64-byte aligned.
        var arenaOffset = (slotBytes + 63) & ~63L;
        _bytes = Math.Max(64, arenaOffset + arenaBytes);
        var large = _bytes >= HugePageThreshold;
        var size = large ? (nuint)((_bytes + (long)HugePage - 1) & ~((long)HugePage - 1)) : (nuint)_bytes;
        _block = NativeMemory.AlignedAlloc(size, large ? HugePage : 64);
        if (large && OperatingSystem.IsLinux())
        {
            // Must come before the first touch: pages faulted in afterwards are then huge.
            HugePagesAdvised = Madvise((nint)_block, size, MadvHugePage) == 0;
        }

        // Empty slots are all-zero; zeroing also faults the pages in now rather than on lookups.
        NativeMemory.Clear(_block, size);
        GC.AddMemoryPressure(_bytes);
        Interlocked.Add(ref s_totalBytes, _bytes);
        Slots = _block;
        Arena = (byte*)_block + arenaOffset;
    }

    ~SealedTableMemory()
    {
        NativeMemory.AlignedFree(_block);
        GC.RemoveMemoryPressure(_bytes);
        Interlocked.Add(ref s_totalBytes, -_bytes);
    }

    /// <summary>Bytes of native table memory currently allocated in this process (see <see cref="FilterMemory"/>).</summary>
    public static long TotalBytes => Interlocked.Read(ref s_totalBytes);

    public void* Slots { get; }

    public byte* Arena { get; }

    public bool HugePagesAdvised { get; }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}

/// <summary>Memory the engine holds outside the managed heap, for diagnostics and benchmarks.</summary>
public static class FilterMemory
{
    /// <summary>
    /// Bytes of native memory held by sealed list tables in this process (the slots and names of
    /// every loaded list); add it to the managed heap for the engine's real footprint. Freed tables
    /// leave this count when their finaliser runs.
    /// </summary>
    public static long NativeTableBytes => SealedTableMemory.TotalBytes;
}
