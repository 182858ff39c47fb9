using Bitcain.ServiceDefaults;

namespace Bitcain.Sync;

public class Program
{
    public static async Task Main(string[] args)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        builder.AddSyncStore();
        builder.AddSyncMessaging();

        var app = builder.Build();
        app.MapDefaultEndpoints();
        await app.RunAsync();
    }
}
