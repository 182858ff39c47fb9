using Bitcain.Exchanges;
using Bitcain.ServiceDefaults;

namespace Bitcain.Sync;

public class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        builder.Services.AddBitcainExchanges(builder.Configuration);
        builder.AddSyncStore();
        builder.AddSyncMessaging();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapSyncQueries();
        await app.RunAsync();
    }
}
