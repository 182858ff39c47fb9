namespace Bitcain.ExchangeSimulator;

/// <summary>Builds the simulator web app; used by both <see cref="SimulatorHost"/> (in-process) and Program.cs.</summary>
public static class SimulatorApp
{
    public static WebApplication Build(SimulatorOptions options, string[]? args = null, bool bindFromOptions = true)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            Args = args ?? [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Configuration.GetSection("Simulator").Bind(options);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        if (bindFromOptions) builder.WebHost.UseUrls($"http://{options.Host}:{options.Port}");
        // Kraken and Binance both answer large lists (exchangeInfo is megabytes); no request limits beyond Kestrel's defaults.
        var state = new SimulatorState(options);
        builder.Services.AddSingleton(state);

        var app = builder.Build();
        var gateway = new ExchangeGateway(state);
        app.Use(async (context, next) =>
        {
            if (!await gateway.TryHandleAsync(context)) await next(context);
        });
        app.MapSimulatorAdmin(state);
        var exchanges = string.Join(", ", state.Exchanges.Keys.Select(name => $"/{name}"));
        app.MapGet("/", () => Results.Text(
            $"Bitcain exchange simulator. Exchanges: {exchanges} + the real path. Admin: /__sim/accounts, /__sim/requests, /__sim/faults\n"));
        return app;
    }

    internal static SimulatorState StateOf(WebApplication app) => app.Services.GetRequiredService<SimulatorState>();
}
