using Bitcain.Contracts.Market;
using Bitcain.ServiceDefaults.HttpQueries;
using Bitcain.Contracts;
using Bitcain.Market.ExchangeHealth;
using Bitcain.Market.Markets;
using Bitcain.Market.Routing;
using Bitcain.Market.Tickers;
using Bitcain.ServiceDefaults;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Bitcain.Market;

public static class MarketServiceSetup
{
    public const string Schema = "market";

    /// <summary>Exchange health transitions are this schema's events, one stream per exchange in the default tenant.</summary>
    public static void AddMarketStore(this WebApplicationBuilder builder) =>
        builder.AddBitcainEventStore(Schema, opts => ExchangeHealthStreams.Register(opts.Events));

    /// <summary>The caches in front of the exchanges are process-wide: every query shares them.</summary>
    public static void AddMarketData(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton(ExchangeDeadline.From(builder.Configuration));
        builder.Services.AddSingleton<MarketSnapshots>();
        builder.Services.AddSingleton<TickerCache>();
        builder.Services.AddSingleton<RouteIndexCache>();
        builder.Services.AddSingleton<ExchangeHealthMonitor>();
    }

    public static void AddMarketMessaging(this WebApplicationBuilder builder)
    {
        builder.Host.UseWolverine(opts =>
        {
            opts.UseBitcainRabbitMq(typeof(MarketServiceSetup).Assembly, builder.Configuration);
            opts.ListenToRabbitQueue(BusTopology.MarketCommands).UseDurableInbox();
            opts.ListenToRabbitQueue(BusTopology.MarketQueries).BufferedInMemory();
            opts.UseBitcainTransactions();
        });
    }

    /// <summary>The gateway's market reads, over HTTP: public data, asked for nobody.</summary>
    public static void MapMarketQueries(this WebApplication app) => app.MapHttpQueries(queries => queries
        .Answer<GetSupportedExchanges, Contracts.Market.SupportedExchanges>()
        .Answer<GetExchangeInfo, ExchangeInfo>()
        .Answer<GetMarkets, MarketList>()
        .Answer<GetTicker, TickerReply>()
        .Answer<FindRoutes, RouteList>()
        .Answer<GetExchangeHealth, ExchangeHealthReport>()
        .Answer<GetExchangeHealthEvents, ExchangeHealthEvents>());
}
