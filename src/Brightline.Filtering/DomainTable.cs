using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Text;

namespace Brightline.Filtering;

/// <summary>
/// The compact core shared by every host table: an open-addressing hash table of 64-bit name hashes
/// whose slots point into one packed byte arena holding the names.
/// </summary>
/// <remarks>
/// Layout while building: each slot is 16 bytes (hash, arena offset + 1, value); 0 in the offset
/// field means empty.
/// The arena stores each name once as <c>[length byte][ASCII bytes]</c> in insertion order, which
/// also gives a deterministic enumeration order for export. The index is taken from the high 32
/// bits of the hash by multiply-shift range reduction, so the capacity need not be a power of two
/// and a finished table can be sized to exactly <see cref="FinalLoadFactor"/>. Probing is linear.
/// A matching hash is always verified against the arena bytes, so two names with the same 64-bit
/// hash simply occupy two slots and lookups stay exact. The table is mutable only while building;
/// after <see cref="Seal"/> it is read-only and safe for any number of concurrent readers.
/// <para>
/// Sealing moves the slots and names into memory that never moves (<see cref="SealedTableMemory"/>):
/// a big table (a multi-million-name category list) goes to native memory the kernel is asked to
/// back with 2 MB transparent huge pages, because a lookup touches two random places in a table
/// of hundreds of megabytes and, with 4 KB pages, nearly every probe also missed the TLB — on a
/// virtual machine that page walk cost more than the probe itself. Lookups then read through raw
/// pointers, so the sealed read path has no array bounds checks either.
/// </para>
/// <para>
/// Sealed layout: the slots are regrouped into 64-byte buckets (one cache line) of four, hashes
/// first (<see cref="Bucket"/>). A lookup compares all four hashes with one vector comparison, and
/// a bucket with a free lane ends the search, because sealing fills each bucket's lanes in order and
/// only overflows into the next bucket when all four are taken. A probe is then one cache line and
/// about one well-predicted branch, where scanning single slots at this load factor took a data-dependent
/// branch per slot (empty? same hash?) that the CPU mispredicted about half the time.
/// </para>
/// </remarks>
internal sealed unsafe class DomainTable
{
    private const double BuildLoadFactor = 0.7;
    private const double FinalLoadFactor = 0.55;

    private Slot[] _slots;
    private byte[] _arena;
    private int _arenaLength;
    private int _count;
    private bool _sealed;
    private SealedTableMemory? _memory;
    private Bucket* _buckets;
    private uint _bucketCount;
    private byte* _sealedArena;
    private ulong _labelCountsLow;
    private ulong _labelCountsHigh;

    public DomainTable(int capacityHint = 16)
    {
        _slots = new Slot[Math.Max(16, (int)(capacityHint / BuildLoadFactor) + 1)];
        _arena = new byte[Math.Max(64, capacityHint * 16)];
    }

    public int Count => _count;

    /// <summary>
    /// Whether any stored name has exactly <paramref name="labels"/> labels. Lookups skip suffixes
    /// whose label count no entry has (typically the bare top-level label), saving a probe per query.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool HasLabelCount(int labels) =>
        labels < 64 ? (_labelCountsLow & (1UL << labels)) != 0 : (_labelCountsHigh & (1UL << (labels - 64))) != 0;

    /// <summary>Approximate bytes held by the table's arrays.</summary>
    public long MemoryBytes => _sealed
        ? (long)_bucketCount * sizeof(Bucket) + _arenaLength
        : (long)_slots.Length * sizeof(Slot) + _arena.Length;

    /// <summary>Whether the sealed table asked for huge pages (diagnostics and benchmarks).</summary>
    public bool UsesHugePages => _memory?.HugePagesAdvised ?? false;

    /// <summary>
    /// Asks the CPU to start loading the slot a later <see cref="TryGetValue"/> for
    /// <paramref name="hash"/> will read first. A lookup probes several suffixes whose slots lie in
    /// unrelated places; issuing every load up front lets their cache misses overlap instead of
    /// being paid one after another.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Prefetch(ulong hash)
    {
        if (Sse.IsSupported)
        {
            Sse.Prefetch0(_buckets + IndexOf(hash, _bucketCount));
        }
    }

    /// <summary>Finds a name in the sealed table; returns its value and arena offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(ulong hash, ReadOnlySpan<byte> name, out uint value, out uint offset)
    {
        if (!_sealed)
        {
            ThrowHelper.ThrowInvalidOperation("Seal the table before looking names up.");
        }

        var buckets = _buckets;
        var count = _bucketCount;
        var index = IndexOf(hash, count);
        var wanted = Vector256.Create(hash);
        while (true)
        {
            var bucket = buckets + index;

            // Empty lanes hold hash 0 and offset 0; the offset test below rejects them if the hash is 0.
            var same = Vector256.Equals(Vector256.Load(bucket->Hashes), wanted).ExtractMostSignificantBits();
            while (same != 0)
            {
                var lane = BitOperations.TrailingZeroCount(same);
                var stored = bucket->OffsetsPlusOne[lane];
                if (stored != 0 && SealedNameEquals(stored - 1, name))
                {
                    value = bucket->Values[lane];
                    offset = stored - 1;

                    // The memory is freed by the finaliser of _memory, which this object keeps alive.
                    GC.KeepAlive(this);
                    return true;
                }

                same &= same - 1;
            }

            if (bucket->OffsetsPlusOne[Bucket.Lanes - 1] == 0)
            {
                value = 0;
                offset = 0;
                GC.KeepAlive(this);
                return false;
            }

            if (++index == count)
            {
                index = 0;
            }
        }
    }

    /// <summary>Adds a name or finds the existing one; returns a reference to its value (building only).</summary>
    public ref uint GetOrAdd(ulong hash, ReadOnlySpan<byte> name, out bool added)
    {
        if (_sealed)
        {
            ThrowHelper.ThrowInvalidOperation("The table is sealed.");
        }

        if (_count + 1 > _slots.Length * BuildLoadFactor)
        {
            Resize(_slots.Length * 2);
        }

        var slots = _slots;
        var index = IndexOf(hash, (uint)slots.Length);
        while (true)
        {
            ref var slot = ref slots[index];
            if (slot.OffsetPlusOne == 0)
            {
                slot.Hash = hash;
                slot.OffsetPlusOne = Append(name) + 1;
                var labels = name.Count((byte)'.') + 1;
                if (labels < 64)
                {
                    _labelCountsLow |= 1UL << labels;
                }
                else
                {
                    _labelCountsHigh |= 1UL << (labels - 64);
                }

                slot.Value = 0;
                _count++;
                added = true;
                return ref slot.Value;
            }

            if (slot.Hash == hash && NameEquals(slot.OffsetPlusOne - 1, name))
            {
                added = false;
                return ref slot.Value;
            }

            if (++index == (uint)slots.Length)
            {
                index = 0;
            }
        }
    }

    /// <summary>
    /// Rehashes the slots into their final size in fixed memory, copies the names beside them and
    /// makes the table read-only. The building arrays are dropped.
    /// </summary>
    public void Seal()
    {
        if (_sealed)
        {
            return;
        }

        var bucketCount = (uint)Math.Max(1, (int)Math.Ceiling(_count / (FinalLoadFactor * Bucket.Lanes)));
        var memory = new SealedTableMemory((long)bucketCount * sizeof(Bucket), _arenaLength);
        var buckets = (Bucket*)memory.Slots;
        foreach (ref readonly var slot in _slots.AsSpan())
        {
            if (slot.OffsetPlusOne == 0)
            {
                continue;
            }

            // First free lane from the home bucket on; lanes fill in order, which lookups rely on.
            var index = IndexOf(slot.Hash, bucketCount);
            while (buckets[index].OffsetsPlusOne[Bucket.Lanes - 1] != 0)
            {
                if (++index == bucketCount)
                {
                    index = 0;
                }
            }

            var bucket = buckets + index;
            var lane = 0;
            while (bucket->OffsetsPlusOne[lane] != 0)
            {
                lane++;
            }

            bucket->Hashes[lane] = slot.Hash;
            bucket->OffsetsPlusOne[lane] = slot.OffsetPlusOne;
            bucket->Values[lane] = slot.Value;
        }

        _arena.AsSpan(0, _arenaLength).CopyTo(new Span<byte>(memory.Arena, _arenaLength));
        _memory = memory;
        _buckets = buckets;
        _bucketCount = bucketCount;
        _sealedArena = memory.Arena;
        _slots = [];
        _arena = [];
        _sealed = true;
    }

    /// <summary>The name stored at <paramref name="offset"/>.</summary>
    public ReadOnlySpan<byte> NameAt(uint offset) => _sealed
        ? new ReadOnlySpan<byte>(_sealedArena + offset + 1, _sealedArena[offset])
        : _arena.AsSpan((int)offset + 1, _arena[offset]);

    /// <summary>The name stored at <paramref name="offset"/>, as a string.</summary>
    public string NameStringAt(uint offset)
    {
        var name = Encoding.ASCII.GetString(NameAt(offset));
        GC.KeepAlive(this);
        return name;
    }

    /// <summary>Every entry in insertion order (arena order).</summary>
    public IEnumerable<(string Name, uint Value)> Entries()
    {
        var position = 0;
        while (position < _arenaLength)
        {
            var offset = (uint)position;
            var name = NameStringAt(offset);
            position += 1 + name.Length;
            var bytes = Encoding.ASCII.GetBytes(name);
            TryGetValue(HostName.Hash(bytes), bytes, out var value, out _);
            yield return (name, value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint IndexOf(ulong hash, uint length) => (uint)(((hash >> 32) * length) >> 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool SealedNameEquals(uint offset, ReadOnlySpan<byte> name)
    {
        var stored = _sealedArena + offset;
        return *stored == name.Length && new ReadOnlySpan<byte>(stored + 1, name.Length).SequenceEqual(name);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool NameEquals(uint offset, ReadOnlySpan<byte> name)
    {
        var arena = _arena;
        return arena[offset] == name.Length && arena.AsSpan((int)offset + 1, name.Length).SequenceEqual(name);
    }

    private uint Append(ReadOnlySpan<byte> name)
    {
        var needed = _arenaLength + 1 + name.Length;
        if (needed > _arena.Length)
        {
            var size = Math.Max(needed, (int)Math.Min(Array.MaxLength, (long)_arena.Length * 2));
            Array.Resize(ref _arena, size);
        }

        var offset = (uint)_arenaLength;
        _arena[_arenaLength] = (byte)name.Length;
        name.CopyTo(_arena.AsSpan(_arenaLength + 1));
        _arenaLength = needed;
        return offset;
    }

    private void Resize(int capacity)
    {
        var old = _slots;
        var slots = new Slot[capacity];
        foreach (ref readonly var slot in old.AsSpan())
        {
            if (slot.OffsetPlusOne == 0)
            {
                continue;
            }

            var index = IndexOf(slot.Hash, (uint)slots.Length);
            while (slots[index].OffsetPlusOne != 0)
            {
                if (++index == (uint)slots.Length)
                {
                    index = 0;
                }
            }

            slots[index] = slot;
        }

        _slots = slots;
    }

    /// <summary>Four sealed slots in one cache line, stored column-wise so the hashes load as one vector.</summary>
    [StructLayout(LayoutKind.Sequential, Size = 64)]
    private struct Bucket
    {
        public const int Lanes = 4;
        public fixed ulong Hashes[Lanes];
        public fixed uint OffsetsPlusOne[Lanes];
        public fixed uint Values[Lanes];
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public ulong Hash;
        public uint OffsetPlusOne;
        public uint Value;
    }
}
