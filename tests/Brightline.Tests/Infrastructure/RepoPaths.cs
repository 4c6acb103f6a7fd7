namespace Brightline.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The repository root (the folder holding Brightline.slnx).</summary>
    public static string Root => Brightline.Testing.RepositoryRoot.Path;

    public static string Policy(string name) => Path.Combine(Root, "policies", name);
}
