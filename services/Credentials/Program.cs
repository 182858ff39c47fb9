using Bitcain.Exchanges;
using Bitcain.ServiceDefaults;

namespace Bitcain.Credentials;

public class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        builder.Services.AddBitcainExchanges(builder.Configuration);
        builder.AddCredentialStore();
        builder.AddCredentialMessaging();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.RunAsync();
    }
}
