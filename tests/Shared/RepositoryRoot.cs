using System.Runtime.CompilerServices;

namespace Brightline.Testing;

/// <summary>
/// The repository root (the folder holding Brightline.slnx), for every test project: tests read the real
/// policies and lists rather than copies. Builds with BRIGHTLINE_ARTIFACTS put the binaries outside the
/// tree, so the search also starts from BRIGHTLINE_REPO, the working directory and this source file.
/// </summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        foreach (var start in new[] { Environment.GetEnvironmentVariable("BRIGHTLINE_REPO"), AppContext.BaseDirectory, Directory.GetCurrentDirectory(), SourceDirectory() })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(System.IO.Path.Combine(dir.FullName, "Brightline.slnx")))
                {
                    return dir.FullName;
                }
            }
        }

        throw new InvalidOperationException("Brightline.slnx not found above BRIGHTLINE_REPO, the test binaries, the working directory or the test sources.");
    }

    private static string? SourceDirectory([CallerFilePath] string path = "") => System.IO.Path.GetDirectoryName(path);
}
