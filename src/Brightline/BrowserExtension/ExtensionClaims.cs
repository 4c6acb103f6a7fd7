namespace Brightline.BrowserExtension;

/// <summary>Claims an extension token adds: the school, the person, and which enrolment.</summary>
public static class ExtensionClaims
{
    public const string Token = "brightline:extension-token";
    public const string School = "brightline:extension-school";
    public const string Person = "brightline:extension-person";
}
