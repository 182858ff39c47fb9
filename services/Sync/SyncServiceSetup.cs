using Bitcain.Contracts;
using Bitcain.ServiceDefaults;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Bitcain.Sync;

public static class SyncServiceSetup
{
    public const string Schema = "sync";

    // Balance and trade syncs become this schema's streams (issue 6).
    public static void AddSyncStore(this WebApplicationBuilder builder) =>
        builder.AddBitcainEventStore(Schema, _ => { });

    public static void AddSyncMessaging(this WebApplicationBuilder builder)
    {
        builder.Host.UseWolverine(opts =>
        {
            opts.UseBitcainRabbitMq(typeof(SyncServiceSetup).Assembly);
            opts.ListenToRabbitQueue(BusTopology.SyncCommands).UseDurableInbox();
            opts.UseBitcainTransactions();
        });
    }
}
