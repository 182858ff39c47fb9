using Bitcain.Exchanges;
using Bitcain.ServiceDefaults;

namespace Bitcain.Market;

public class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        builder.Services.AddBitcainExchanges(builder.Configuration);
        builder.AddMarketStore();
        builder.AddMarketData();
        builder.AddMarketMessaging();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapMarketQueries();
        await app.RunAsync();
    }
}
