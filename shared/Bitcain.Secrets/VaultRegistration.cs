using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bitcain.Secrets;

public static class VaultRegistration
{
    public const string MasterKeySetting = "Credentials:MasterKey";

    /// <summary>Old master keys a rotation moves away from (comma separated); opened, never used to wrap.</summary>
    public const string PreviousMasterKeysSetting = "Credentials:PreviousMasterKeys";

    /// <summary>
    /// Registers the <see cref="CredentialVault"/>. A service that can read credentials refuses to start without
    /// the master key, in every environment: the AppHost and the test suite always provide one.
    /// </summary>
    public static IServiceCollection AddCredentialVault(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var vault = VaultFrom(configuration, environment.EnvironmentName);
        services.AddSingleton(vault);
        return services;
    }

    public static CredentialVault VaultFrom(IConfiguration configuration, string environmentName)
    {
        MasterKey current;
        try { current = MasterKey.Parse(configuration[MasterKeySetting], MasterKeySetting); }
        catch (InvalidOperationException e)
        {
            throw new InvalidOperationException($"{e.Message} Refusing to start ({environmentName}): set Credentials__MasterKey.", e);
        }
        var previous = (configuration[PreviousMasterKeysSetting] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(k => MasterKey.Parse(k, PreviousMasterKeysSetting));
        return new CredentialVault(current, previous.ToList());
    }
}
