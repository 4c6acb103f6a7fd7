namespace Brightline.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The repository root (the folder holding Brightline.slnx).</summary>
    public static string Root { get; } = Find();

    public static string Policy(string name) => Path.Combine(Root, "policies", name);

    private static string Find()
    {
        // Build output may live outside the tree (BRIGHTLINE_ARTIFACTS), so also try the working directory.
        foreach (var start in new[] { Environment.GetEnvironmentVariable("BRIGHTLINE_REPO"), AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Brightline.slnx")))
            {
                dir = dir.Parent;
            }

            if (dir is not null)
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Brightline.slnx not found above the test binaries or the working directory.");
    }
}
