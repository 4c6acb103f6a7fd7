using System.Text;
using Brightline.Network;

namespace Brightline.Tests.Network;

/// <summary>
/// The RADIUS request parser never throws anything but <see cref="RadiusRequestException"/> (a 400) on any input:
/// seeded random bytes and mutations of a real rlm_rest body, and every accessor Brightline reads afterwards.
/// </summary>
public sealed class RadiusRequestFuzzTests
{
    private const string Real = """
        {"User-Name":{"type":"string","value":["h.marsh@school.test"]},"User-Password":{"type":"string","value":["secret"]},
         "NAS-IP-Address":{"type":"ipaddr","value":["127.0.0.1"]},"Called-Station-Id":{"type":"string","value":["AA-BB-CC-DD-EE-FF:Example-Staff"]},
         "Acct-Status-Type":{"type":"integer","value":["Start"]},"Framed-IP-Address":{"type":"ipaddr","value":["10.20.1.2"]},
         "Session-Timeout":{"type":"integer","value":[600]}}
        """;

    [Fact]
    public void Parse_RealBody_ReadsTheAttributes()
    {
        var request = RadiusRequest.Parse(Encoding.UTF8.GetBytes(Real));

        request.UserName.ShouldBe("h.marsh@school.test");
        request.Ssid.ShouldBe("Example-Staff");
        request.AccountingStatus.ShouldBe(AccountingStatus.Start);
        request.FramedIpAddress!.ToString().ShouldBe("10.20.1.2");
        request.Single("Session-Timeout").ShouldBe("600");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Parse_RandomAndMutatedInput_OnlyEverRefusesWithItsOwnException(int seed)
    {
        var random = new Random(seed);
        var real = Encoding.UTF8.GetBytes(Real);
        for (var i = 0; i < 3000; i++)
        {
            byte[] input;
            if (i % 3 == 0)
            {
                input = new byte[random.Next(0, 200)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])real.Clone();
                for (var m = random.Next(1, 6); m > 0; m--)
                {
                    input[random.Next(input.Length)] = (byte)"{}[]\":,0a\\ \u0000"[random.Next(12)];
                }
            }

            try
            {
                var request = RadiusRequest.Parse(input);
                _ = (TryRead(() => request.UserName), TryRead(() => request.Password), TryRead(() => request.Ssid), TryRead(() => request.NasIdentifier),
                    TryRead(() => request.FramedIpAddress), TryRead(() => request.AccountingStatus), TryRead(() => request.CallingStationId));
            }
            catch (RadiusRequestException e)
            {
                e.Message.ShouldNotBeNullOrWhiteSpace();
            }
        }
    }

    private static object? TryRead<T>(Func<T> read)
    {
        try
        {
            return read();
        }
        catch (RadiusRequestException)
        {
            return null;
        }
    }
}
