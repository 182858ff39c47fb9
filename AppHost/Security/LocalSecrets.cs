using System.Security.Cryptography;

namespace Bitcain.AppHost.Security;

/// <summary>
/// The two secrets a local run needs, generated once and kept with the data (mode 600) so tokens and
/// stored credentials survive a restart. A value in the AppHost's environment wins, so a team or a CI run
/// can share one key across machines.
/// </summary>
public sealed record LocalSecrets(string SigningKey, string MasterKey, string SigningKeySource, string MasterKeySource)
{
    public const string SigningKeyVariable = "Auth__SigningKey";
    public const string MasterKeyVariable = "Credentials__MasterKey";

    public static LocalSecrets Load(string dataFolder)
    {
        var (signingKey, signingSource) = Resolve(SigningKeyVariable, Path.Combine(dataFolder, "signing.key"), bytes: 48);
        var (masterKey, masterSource) = Resolve(MasterKeyVariable, Path.Combine(dataFolder, "master.key"), bytes: 32);
        return new LocalSecrets(signingKey, masterKey, signingSource, masterSource);
    }

    /// <summary>The HS256 key alone: the token command needs nothing else.</summary>
    public static string LoadSigningKey(string dataFolder) =>
        Resolve(SigningKeyVariable, Path.Combine(dataFolder, "signing.key"), bytes: 48).Value;

    private static (string Value, string Source) Resolve(string variable, string file, int bytes)
    {
        if (Environment.GetEnvironmentVariable(variable) is { Length: > 0 } supplied)
            return (supplied, $"${variable}");
        if (File.Exists(file))
            return (File.ReadAllText(file).Trim(), file);

        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        var value = Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes));
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
        };
        using (var writer = new StreamWriter(file, options))
            writer.Write(value);
        return (value, file);
    }
}
