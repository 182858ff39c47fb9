using Bitcain.Contracts;
using Bitcain.ServiceDefaults;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Bitcain.Market;

public static class MarketServiceSetup
{
    public const string Schema = "market";

    // Exchange health transitions will be this schema's events (issue 5); the store is here already so the
    // market service owns its schema and durable inbox from the start.
    public static void AddMarketStore(this WebApplicationBuilder builder) =>
        builder.AddBitcainEventStore(Schema, _ => { });

    public static void AddMarketMessaging(this WebApplicationBuilder builder)
    {
        builder.Host.UseWolverine(opts =>
        {
            opts.UseBitcainRabbitMq(typeof(MarketServiceSetup).Assembly);
            opts.ListenToRabbitQueue(BusTopology.MarketCommands).UseDurableInbox();
            opts.ListenToRabbitQueue(BusTopology.MarketQueries).BufferedInMemory();
            opts.UseBitcainTransactions();
        });
    }
}
