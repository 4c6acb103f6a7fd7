using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Brightline.Filtering;

/// <summary>
/// The compact core shared by every host table: an open-addressing hash table of 64-bit name hashes
/// whose slots point into one packed byte arena holding the names.
/// </summary>
/// <remarks>
/// Layout: each slot is 16 bytes (hash, arena offset + 1, value); 0 in the offset field means empty.
/// The arena stores each name once as <c>[length byte][ASCII bytes]</c> in insertion order, which
/// also gives a deterministic enumeration order for export. The index is taken from the high 32
/// bits of the hash by multiply-shift range reduction, so the capacity need not be a power of two
/// and a finished table can be sized to exactly <see cref="FinalLoadFactor"/>. Probing is linear.
/// A matching hash is always verified against the arena bytes, so two names with the same 64-bit
/// hash simply occupy two slots and lookups stay exact. The table is mutable only while building;
/// after <see cref="Seal"/> it is read-only and safe for any number of concurrent readers.
/// </remarks>
internal sealed class DomainTable
{
    private const double BuildLoadFactor = 0.7;
    private const double FinalLoadFactor = 0.55;

    private Slot[] _slots;
    private byte[] _arena;
    private int _arenaLength;
    private int _count;
    private bool _sealed;
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
    public long MemoryBytes => (long)_slots.Length * Unsafe.SizeOf<Slot>() + _arena.Length;

    /// <summary>Finds a name; returns its value and arena offset.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryGetValue(ulong hash, ReadOnlySpan<byte> name, out uint value, out uint offset)
    {
        var slots = _slots;
        var index = IndexOf(hash, (uint)slots.Length);
        while (true)
        {
            ref var slot = ref slots[index];
            if (slot.OffsetPlusOne == 0)
            {
                value = 0;
                offset = 0;
                return false;
            }

            if (slot.Hash == hash && NameEquals(slot.OffsetPlusOne - 1, name))
            {
                value = slot.Value;
                offset = slot.OffsetPlusOne - 1;
                return true;
            }

            if (++index == (uint)slots.Length)
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

    /// <summary>Shrinks the arrays to their final size and makes the table read-only.</summary>
    public void Seal()
    {
        if (_sealed)
        {
            return;
        }

        Resize(Math.Max(4, (int)Math.Ceiling(_count / FinalLoadFactor) + 1));
        Array.Resize(ref _arena, _arenaLength);
        _sealed = true;
    }

    /// <summary>The name stored at <paramref name="offset"/>.</summary>
    public ReadOnlySpan<byte> NameAt(uint offset) => _arena.AsSpan((int)offset + 1, _arena[offset]);

    /// <summary>The name stored at <paramref name="offset"/>, as a string.</summary>
    public string NameStringAt(uint offset) => Encoding.ASCII.GetString(NameAt(offset));

    /// <summary>Every entry in insertion order (arena order).</summary>
    public IEnumerable<(string Name, uint Value)> Entries()
    {
        var position = 0;
        while (position < _arenaLength)
        {
            var offset = (uint)position;
            var name = NameStringAt(offset);
            position += 1 + _arena[position];
            var bytes = Encoding.ASCII.GetBytes(name);
            TryGetValue(HostName.Hash(bytes), bytes, out var value, out _);
            yield return (name, value);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint IndexOf(ulong hash, uint length) => (uint)(((hash >> 32) * length) >> 32);

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

    [StructLayout(LayoutKind.Sequential)]
    private struct Slot
    {
        public ulong Hash;
        public uint OffsetPlusOne;
        public uint Value;
    }
}
