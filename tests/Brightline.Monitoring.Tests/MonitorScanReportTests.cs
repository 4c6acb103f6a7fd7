namespace Brightline.Monitoring.Tests;

public sealed class MonitorScanReportTests
{
    [Fact]
    public void Write_Hits_PrintsCategoryPhraseWeightLineColumnAndOriginalSpan()
    {
        var matcher = TestSupport.Matcher("""
            @category self-harm
            want to die | 80 | critical
            @category violence
            kill | 20
            kill time | -60
            """);
        var text = "hello\nI w4nt to   d1e\nand \"kill time\"";

        using var writer = new StringWriter();
        MonitorScanReport.Write(writer, matcher.Scan(text), text);

        writer.ToString().ReplaceLineEndings("\n").ShouldBe("""
            self-harm  want to die  80  2:3  "w4nt to   d1e"
            violence  kill  0/20  3:6  "kill"
            violence  kill time  -20/-60  3:6  "kill time"
            score  self-harm  80  (critical, 1 hit(s))
            score  violence  0  (cancelled, 1 hit(s))
            total  80  3 hit(s)

            """);
    }
}
