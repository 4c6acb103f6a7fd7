using Brightline.Policy.Model;

namespace Brightline.Policy;

/// <summary>Renders the written policy and agreement forms as accessible, printable HTML. (Stub: being built.)</summary>
public static class PolicyRenderer
{
    /// <summary>A complete HTML document of the written policy, with print CSS.</summary>
    public static string PolicyDocument(SchoolPolicy policy) => throw new NotImplementedException();

    /// <summary>The policy's body (an &lt;article&gt;) for embedding in a portal page.</summary>
    public static string PolicyFragment(SchoolPolicy policy) => throw new NotImplementedException();

    /// <summary>A complete, printable agreement form with signature blocks for its signers and fields.</summary>
    public static string AgreementDocument(SchoolPolicy policy, Agreement agreement) => throw new NotImplementedException();

    /// <summary>The agreement's text (intro, rules in the wording for <paramref name="groupId"/>, affirmation), without signature blocks.</summary>
    public static string AgreementFragment(SchoolPolicy policy, Agreement agreement, string? groupId = null) => throw new NotImplementedException();
}
