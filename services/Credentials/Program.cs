using Bitcain.Exchanges;
using Bitcain.Credentials.RotatingMasterKey;
using Bitcain.Secrets;
using Bitcain.ServiceDefaults;
using JasperFx;
using Marten;

namespace Bitcain.Credentials;

public class Program
{
    public const string SealingKeyFingerprintCommand = "sealing-key-fingerprint";

    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);
        // What the gateway pins (Gateway__SealingKeyFingerprint): the public half of the sealing key this master key
        // derives. Printed for operators deploying without the AppHost; needs no database.
        if (args.Contains(SealingKeyFingerprintCommand))
        {
            var masterKey = builder.Configuration["Credentials:MasterKey"]
                            ?? throw new InvalidOperationException("Credentials:MasterKey is not set");
            Console.WriteLine(SealingKeyPin.FingerprintForMasterKey(masterKey));
            return;
        }

        builder.AddServiceDefaults();
        builder.AddGeneratedCode();
        builder.Services.AddBitcainExchanges(builder.Configuration);
        builder.AddCredentialStore();
        builder.AddCredentialMessaging();

        var app = builder.Build();
        if (args.Contains(MasterKeyRotation.CommandName))
        {
            var result = await MasterKeyRotation.RewrapAllAsync(app.Services.GetRequiredService<IDocumentStore>(),
                app.Services.GetRequiredService<CredentialVault>(), CancellationToken.None);
            Console.WriteLine($"Re-wrapped {result.Rewrapped} data keys under the current master key ({result.AlreadyCurrent} already were).");
            return;
        }

        app.MapDefaultEndpoints();
        app.MapCredentialQueries();
        // ops/codegen.sh and the staleness test write the handler code from the configured host, then stop.
        if (GeneratedCode.IsCommand(args))
        {
            Environment.ExitCode = await app.RunJasperFxCommands(args);
            return;
        }
        await app.RunAsync();
    }
}
