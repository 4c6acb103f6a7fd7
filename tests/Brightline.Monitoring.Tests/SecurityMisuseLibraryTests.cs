namespace Brightline.Monitoring.Tests;

/// <summary>
/// H12 (Westbrook Hay: no packet sniffing or port scanning, no admin access, no one else's identity): the
/// security-misuse library raises a clear attempt, phrased as a pupil would type it, and leaves a computing lesson
/// about the same words uncritical.
/// </summary>
public sealed class SecurityMisuseLibraryTests
{
    private static readonly PhraseMatcher s_matcher = PhraseMatcher.Compile(PhraseLibrary.BuiltIn("en/security-misuse").ThrowIfErrors());

    [Fact]
    public void H12_Library_LoadsIntoItsOwnKnownCategory()
    {
        MonitoringCategories.IsKnown(MonitoringCategories.SecurityMisuse).ShouldBeTrue();
        PhraseLibrary.BuiltIn("en/security-misuse").Diagnostics.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("how do i port scan the school network with nmap")]
    [InlineData("how to hack the school wifi")]
    [InlineData("how can i get the teacher's password")]
    [InlineData("best free ip stresser to boot him offline")]
    [InlineData("how to bypass the school filter with a vpn")]
    [InlineData("install a keylogger on my sisters laptop")]
    [InlineData("sniff the school wifi with wireshark")]
    [InlineData("log in as someone else on the school computers")]
    [InlineData("how to get admin access on a school chromebook")]
    public void H12_ClearAttempt_ScoresAtLeastMedium(string text)
    {
        var result = s_matcher.Scan(text);

        result.ScoreOf(MonitoringCategories.SecurityMisuse).ShouldBeGreaterThanOrEqualTo(40, text);
        ((int)result.Hits.Where(h => h.EffectiveWeight > 0).Max(h => h.Severity)).ShouldBeGreaterThanOrEqualTo((int)Severity.Medium, text);
    }

    [Theory]
    [InlineData("in computing we learned what a port scan is")]
    [InlineData("cyber security homework: what is packet sniffing")]
    [InlineData("how do companies protect against ddos attacks")]
    [InlineData("we wrote about port scanning in our lesson")]
    public void H12_LessonAboutCyberSecurity_IsNotAnAlert(string text) =>
        s_matcher.Scan(text).ScoreOf(MonitoringCategories.SecurityMisuse).ShouldBeLessThanOrEqualTo(0, text);

    [Theory]
    [InlineData("the brute force of the storm")]
    [InlineData("our school network is down again")]
    [InlineData("my password does not work")]
    public void H12_OrdinarySentences_AreNeverMoreThanLow(string text) =>
        s_matcher.Scan(text).Hits.Where(h => h.EffectiveWeight > 0).All(h => h.Severity <= Severity.Low).ShouldBeTrue(text);

    [Fact]
    public void H12_NoPhraseIsCritical()
    {
        // Misuse is IT support's to handle; a critical severity would page the DSL as a safeguarding emergency.
        PhraseLibrary.BuiltIn("en/security-misuse").Rules.ShouldAllBe(r => r.Severity != Severity.Critical);
    }
}
