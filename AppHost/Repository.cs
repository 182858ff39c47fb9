namespace Bitcain.AppHost;

/// <summary>Where the checkout is: the folder holding Bitcain.sln, found from the current directory or
/// from where the AppHost was built.</summary>
public static class Repository
{
    public static string FindRoot()
    {
        foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Bitcain.sln")))
                    return dir.FullName;
            }
        }
        throw new InvalidOperationException("Found no Bitcain.sln above the current directory; run the AppHost from inside the repository.");
    }

    public static string DefaultDataFolder(string root) => Path.Combine(root, ".bitcain");
}
