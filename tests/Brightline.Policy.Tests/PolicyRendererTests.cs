namespace Brightline.Policy.Tests;

public sealed class PolicyRendererTests
{
    private static Model.SchoolPolicy WithSectionBody(string body)
    {
        var yaml = PolicyLoaderTests.Valid + "\nsections:\n  - id: s1\n    title: Section <one>\n    body: |\n" +
            string.Join('\n', body.Split('\n').Select(l => "      " + l)) + "\n";
        return PolicyLoader.LoadValid(yaml, "test.yaml");
    }

    [Fact]
    public void PolicyFragment_RawHtmlInMarkdown_IsEscaped()
    {
        var html = PolicyRenderer.PolicyFragment(WithSectionBody("Hello <script>alert(1)</script> **bold**"));

        html.ShouldNotContain("<script>");
        html.ShouldContain("&lt;script&gt;");
        html.ShouldContain("<strong>bold</strong>");
        html.ShouldContain("Section &lt;one&gt;");
    }

    [Fact]
    public void PolicyFragment_JavascriptLink_IsNeutralised()
    {
        var html = PolicyRenderer.PolicyFragment(WithSectionBody("[click](javascript:alert(1)) and [site](https://example.org)"));

        html.ShouldNotContain("javascript:");
        html.ShouldContain("href=\"https://example.org\"");
    }

    [Fact]
    public void PolicyFragment_MarkdownHeadings_SitBelowTheSectionHeading()
    {
        var html = PolicyRenderer.PolicyFragment(WithSectionBody("# Inner"));

        html.ShouldContain("<h3");
        html.ShouldNotContain("<h1 id=\"inner\"");
    }

    [Fact]
    public void AgreementFragment_GroupWithoutOwnWording_BorrowsFromItsAgreementAudience()
    {
        var policy = PolicyLoader.LoadValid(PolicyLoaderTests.Valid, "test.yaml");
        var agreement = policy.Agreements[0];

        PolicyRenderer.AgreementFragment(policy, agreement, "ks1").ShouldContain("I am kind.");
        PolicyRenderer.AgreementFragment(policy, agreement).ShouldContain("I am kind.");
    }

    [Fact]
    public void AgreementDocument_ParentSigns_HasChildDetailsAndParentSignature()
    {
        var policy = PolicyLoader.LoadValid(PolicyLoaderTests.Valid, "test.yaml");

        var html = PolicyRenderer.AgreementDocument(policy, policy.Agreements[0]);

        html.ShouldContain("aria-label=\"Child\"");
        html.ShouldContain("aria-label=\"Parent or carer\"");
        html.ShouldContain("a parent or carer, on the child&#39;s behalf");
    }

    [Fact]
    public void PolicyDocument_Cover_ShowsDatesTheUkWay()
    {
        var policy = PolicyLoader.LoadValid(PolicyLoaderTests.Valid, "test.yaml");

        PolicyRenderer.PolicyDocument(policy).ShouldContain("1 September 2026");
    }
}
