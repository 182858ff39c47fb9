namespace Bitcain.Ops.Tests;

/// <summary>The checkout under test, found by walking up from the test binaries to Bitcain.sln.</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Path(string relative) => System.IO.Path.Combine(Root, relative);

    public static string Read(string relative) => File.ReadAllText(Path(relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Bitcain.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"No Bitcain.sln above {AppContext.BaseDirectory}");
    }
}
