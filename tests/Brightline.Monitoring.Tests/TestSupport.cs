namespace Brightline.Monitoring.Tests;

internal static class TestSupport
{
    public const string PhraseLists = "/etc/e2guardian/lists/phraselists";
    public const string BritishWords = "/usr/share/dict/british-english";

    /// <summary>Fails (never skips) with the Debian package to install when a system file is missing.</summary>
    public static string RequireFile(string path, string package)
    {
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            Assert.Fail($"{path} is missing. Install it with: DEBIAN_FRONTEND=noninteractive apt-get install -y {package} (test.sh installs it).");
        }

        return path;
    }

    public static PhraseMatcher Matcher(string library) =>
        PhraseMatcher.Compile(PhraseLibrary.Parse(library, "test.txt").ThrowIfErrors());
}
