namespace Brightline.Policy.Tests;

public sealed class AgreementTextTests
{
    private static string Example => File.ReadAllText(Path.Combine(RepoFiles.PoliciesDir, "example.yaml"));

    private static Dictionary<string, string> Hashes(string yaml)
    {
        var policy = PolicyLoader.LoadValid(yaml, "example.yaml");
        return policy.Agreements.ToDictionary(a => a.Id, a => AgreementText.Hash(policy, a), StringComparer.Ordinal);
    }

    [Fact]
    public void Hash_OnlyNextReviewChanges_Unchanged()
    {
        var before = Hashes(Example);
        var edited = Example.Replace("next_review: 2026-07-01", "next_review: 2026-12-01", StringComparison.Ordinal);
        edited.ShouldNotBe(Example);

        Hashes(edited).ShouldBe(before);
    }

    [Fact]
    public void Hash_WordingOfARuleInTheAgreementChanges_ChangesOnlyThatAgreement()
    {
        var before = Hashes(Example);
        const string original = "ks1: I only use the internet when a grown-up is with me.";
        var edited = Example.Replace(original, "ks1: I only go online when a grown-up is with me.", StringComparison.Ordinal);
        edited.ShouldNotBe(Example);

        var after = Hashes(edited);

        after["ks1-pupil"].ShouldNotBe(before["ks1-pupil"]);
        after["ks2-pupil"].ShouldBe(before["ks2-pupil"]);
        after["staff"].ShouldBe(before["staff"]);
        after["parent"].ShouldBe(before["parent"]);
    }

    [Fact]
    public void Hash_WindowsLineEndings_Unchanged()
    {
        Hashes(Example.Replace("\n", "\r\n", StringComparison.Ordinal)).ShouldBe(Hashes(Example));
    }
}
