using Brightline.Kernel;
using Brightline.Network;

namespace Brightline.Tests.Network;

/// <summary>The words and CSV cells the Network page writes.</summary>
public sealed class NetworkPageTextTests
{
    /// <summary>A result added to <see cref="DisconnectResult"/> (Disconnect-Request is being built elsewhere) must come with its words and audit key.</summary>
    [Fact]
    public void EveryDisconnectResult_HasWordsAndAKey()
    {
        foreach (var result in Enum.GetValues<DisconnectResult>())
        {
            DisconnectResultText.Describe(result).ShouldNotBeNullOrWhiteSpace(result.ToString());
            DisconnectResultText.Key(result).ShouldMatch("^[a-z-]+$", result.ToString());
        }

        DisconnectResultText.Describe(DisconnectResult.NoRoute).ShouldStartWith("Brightline cannot reach");
        Enum.GetValues<DisconnectResult>().Select(DisconnectResultText.Key).Distinct().Count().ShouldBe(Enum.GetValues<DisconnectResult>().Length);
    }

    /// <summary>User names come from anyone in range of the Wi-Fi: a cell a spreadsheet would run as a formula is made text.</summary>
    [Fact]
    public void CsvLine_QuotesWhatItMust_AndDisarmsFormulas()
    {
        SafeCsv.Line("Helen Marsh", "h.marsh@school.test", null, "30").ShouldBe("Helen Marsh,h.marsh@school.test,,30\r\n");
        SafeCsv.Line("Jones, Amelia", "say \"hi\"", "two\nlines").ShouldBe("\"Jones, Amelia\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n");
        SafeCsv.Line("=HYPERLINK(\"http://x.test\")", "+1", "-2", "@SUM(A1)").ShouldBe("\"'=HYPERLINK(\"\"http://x.test\"\")\",'+1,'-2,'@SUM(A1)\r\n");
    }
}
