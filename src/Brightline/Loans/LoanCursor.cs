using System.Globalization;
using Brightline.Kernel;

namespace Brightline.Loans;

/// <summary>
/// Where a list of loans carries on from: the last row's sort key (its time, in UTC ticks) and its ID, as the API's
/// <c>next</c> and <c>after=</c>. Keyset paging reads the next 50 rows from the index wherever the list is, where
/// <c>page=990</c> had the database step over 49,450 rows first (SQLite, 50,000 loans; bench/devices/run.sh).
/// </summary>
public readonly record struct LoanCursor(DateTimeOffset At, long Id)
{
    /// <summary>The text form: "<c>ticks</c>.<c>id</c>", plain so a client can log it, opaque in meaning.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{At.UtcTicks}.{Id}");

    /// <summary>Reads an <c>after=</c> value; one this API did not give is a 400 saying so.</summary>
    public static LoanCursor Parse(string text)
    {
        var parts = text.Trim().Split('.');
        if (parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            && ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return new LoanCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
        }

        throw new InvalidException($"'{(text.Length > 40 ? text[..40] : text)}' is not a place in the loan list: send back the 'next' value of the previous answer as after=.")
        {
            Field = "after",
        };
    }
}
