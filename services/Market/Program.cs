using Bitcain.Exchanges;
using Bitcain.ServiceDefaults;
using JasperFx;

namespace Bitcain.Market;

public class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        builder.AddGeneratedCode();
        builder.Services.AddBitcainExchanges(builder.Configuration);
        builder.AddMarketStore();
        builder.AddMarketData();
        builder.AddMarketMessaging();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapMarketQueries();
        // ops/codegen.sh and the staleness test write the handler code from the configured host, then stop.
        if (GeneratedCode.IsCommand(args))
        {
            Environment.ExitCode = await app.RunJasperFxCommands(args);
            return;
        }
        await app.RunAsync();
    }
}
