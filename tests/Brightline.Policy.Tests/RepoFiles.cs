namespace Brightline.Policy.Tests;

/// <summary>Finds files in the repository, so tests read the real policies rather than copies.</summary>
internal static class RepoFiles
{
    public static string Root => Brightline.Testing.RepositoryRoot.Path;

    public static string PoliciesDir => Path.Combine(Root, "policies");

    public static IEnumerable<string> PolicyFiles() =>
        Directory.GetFiles(PoliciesDir, "*.yaml").Order(StringComparer.Ordinal);

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));
}
