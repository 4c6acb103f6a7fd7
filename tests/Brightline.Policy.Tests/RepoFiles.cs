using System.Runtime.CompilerServices;

namespace Brightline.Policy.Tests;

/// <summary>Finds files in the repository, so tests read the real policies rather than copies.</summary>
internal static class RepoFiles
{
    public static string Root { get; } = FindRoot();

    public static string PoliciesDir => Path.Combine(Root, "policies");

    public static IEnumerable<string> PolicyFiles() =>
        Directory.GetFiles(PoliciesDir, "*.yaml").Order(StringComparer.Ordinal);

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Brightline.slnx")))
            {
                return dir.FullName;
            }

            dir = dir.Parent;
        }

        // Builds with BRIGHTLINE_ARTIFACTS put the binaries outside the tree; fall back to where this source file was compiled.
        dir = new DirectoryInfo(Path.GetDirectoryName(SourceFile()) ?? ".");
        while (dir is not null)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Brightline.slnx")))
            {
                return dir.FullName;
            }

            dir = dir.Parent;
        }

        throw new InvalidOperationException("Could not find Brightline.slnx above the test binaries or the test sources.");
    }

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
