using Bitcain.AppHost.Security;

namespace Bitcain.AppHost;

/// <summary><c>token --user alice [--hours 24] [--data dir]</c>: prints a bearer token signed with the key the
/// services of a local run use (Auth__SigningKey, else the one kept in the data folder), and nothing else,
/// so scripts and other systems can mint their own.</summary>
public static class TokenCommand
{
    public static int Run(string[] args)
    {
        string? user = null;
        string? dataFolder = null;
        var hours = 24.0;
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--user" when value is { Length: > 0 }:
                    user = value;
                    i++;
                    break;
                case "--hours" when double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var h) && h > 0:
                    hours = h;
                    i++;
                    break;
                case "--data" when value is not null:
                    dataFolder = Path.GetFullPath(value);
                    i++;
                    break;
                default:
                    Console.Error.WriteLine($"token: unexpected {args[i]}. Usage: token --user <id> [--hours 24] [--data <dir>]");
                    return 2;
            }
        }
        if (user is null)
        {
            Console.Error.WriteLine("token: --user <id> is required. Usage: token --user <id> [--hours 24] [--data <dir>]");
            return 2;
        }

        try
        {
            var key = LocalSecrets.LoadSigningKey(dataFolder ?? Repository.DefaultDataFolder(Repository.FindRoot()));
            Console.WriteLine(BearerTokens.Mint(key, user, TimeSpan.FromHours(hours), DateTimeOffset.UtcNow));
            return 0;
        }
        catch (InvalidOperationException e)
        {
            Console.Error.WriteLine($"token: {e.Message}");
            return 1;
        }
    }
}
