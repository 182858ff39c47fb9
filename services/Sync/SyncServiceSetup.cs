using Bitcain.ServiceDefaults.HttpQueries;
using Bitcain.Contracts;
using Bitcain.Contracts.Credentials;
using Bitcain.Contracts.Sync;
using Bitcain.Secrets;
using Bitcain.ServiceDefaults;
using Bitcain.Sync.Account;
using Bitcain.Sync.ReadingBalances;
using Bitcain.Sync.SyncingTrades;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.RabbitMQ;

namespace Bitcain.Sync;

public static class SyncServiceSetup
{
    public const string Schema = "sync";

    /// <summary>The sync service's own queue of credential events (bound only when scheduled syncs are on).</summary>
    public const string CredentialEventsQueue = "bitcain.sync.credential-events";

    /// <summary>Each exchange account (credential) of a user is a stream; balances are projections, trades a keyed table.</summary>
    public static void AddSyncStore(this WebApplicationBuilder builder)
    {
        builder.AddBitcainEventStore(Schema, opts =>
        {
            SyncEventNames.Register(opts.Events);
            // Two syncs of one account append to its stream at once: quick append serializes them in the database
            // instead of failing one on a version conflict.
            opts.Events.AppendMode = EventAppendMode.Quick;
            opts.Projections.Add<BalanceProjection>(ProjectionLifecycle.Inline);
            opts.Projections.Add<SyncingTrades.TradeSyncRunProjection>(ProjectionLifecycle.Inline);
            opts.RegisterDocumentType<SyncingTrades.TradeSyncRun>();
            // The write model of the balance and settings decisions (aggregate handlers); trade pages leave it alone.
            opts.Projections.Add<ExchangeAccountProjection>(ProjectionLifecycle.Inline);
            opts.RegisterDocumentType<ExchangeAccount>();
            // The documents the event projection stores, known at start-up: their tables are created then, not by the
            // first sync, which two instances would race to do (measured: 11 of 200 syncs dead-lettered on the DDL race).
            opts.RegisterDocumentType<AccountBalances>();
            opts.RegisterDocumentType<BalanceHistoryRow>();
            opts.RegisterDocumentType<SyncAccount>();
            opts.Projections.Add<SyncStatus.AccountSyncStatusProjection>(ProjectionLifecycle.Async);
        });
        var connection = builder.Configuration.GetConnectionString("postgres")
                         ?? throw new InvalidOperationException("ConnectionStrings:postgres is not set");
        builder.Services.AddSingleton(_ => new TradeTable(NpgsqlDataSource.Create(connection)));
        builder.Services.AddCredentialVault(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton<ExchangeAccounts>();
    }

    public static void AddSyncMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IMissingUserReplies, SyncMissingUserReplies>();
        builder.Host.UseWolverine(opts =>
        {
            var rabbit = opts.UseBitcainRabbitMq(typeof(SyncServiceSetup).Assembly, builder.Configuration);
            if (builder.Configuration.GetValue(SchedulingSyncs.BalanceSchedule.IntervalSetting, 0.0) > 0)
            {
                // Scheduled balance syncs start from each newly stored credential (off unless configured).
                rabbit.BindExchange(BusTopology.Events, ExchangeType.Topic)
                    .ToQueue(CredentialEventsQueue, Bitcain.ServiceDefaults.BitcainMessaging.MessageName<CredentialStoredV1>());
                opts.ListenToRabbitQueue(CredentialEventsQueue).UseDurableInbox();
            }
            opts.ListenToRabbitQueue(BusTopology.SyncCommands).UseDurableInbox();
            opts.ListenToRabbitQueue(BusTopology.SyncQueries).BufferedInMemory();
            // It asks the credential service for keys (ExchangeAccounts) and schedules its own balance syncs on its
            // command queue, so another instance may run them.
            opts.RouteBitcainMessages(BusTopology.CredentialQueries, BusTopology.CredentialCommands, BusTopology.SyncCommands);
            opts.UseBitcainTransactions();
            opts.RequireUserOnUserMessages();
            // A recording marks the bus delivery that led to it handled in its own transaction (Account/AccountRecord.cs).
            opts.Policies.AddMiddleware(typeof(DeliveryCompletedByRecording), chain => typeof(IAccountRecord).IsAssignableFrom(chain.MessageType));
            // A sync asks the credential service for the sealed key; an instance of it that dies holding the question
            // leaves it unanswered. The command waits in the durable inbox and runs again (nothing is committed
            // before the exchange answers), so a scaled-out suite loses no sync to a dying neighbour.
            opts.OnException<TimeoutException>()
                .RetryWithCooldown(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(15));
        });
    }

    /// <summary>The gateway's sync reads, over HTTP: the bus handlers answer them in the asserted user's tenant.</summary>
    public static void MapSyncQueries(this WebApplication app) => app.MapHttpQueries(queries => queries
        .Answer<GetBalances, BalanceList>()
        .Answer<GetBalanceHistory, BalanceHistory>()
        .Answer<GetTrades, TradeList>()
        .Answer<GetTradeStats, TradeStats>()
        .Answer<GetSyncStatus, SyncStatusList>()
        .Answer<GetBnbBurn, BnbBurnReply>()
        .Answer<GetDustAssets, DustAssetsReply>()
        .Answer<GetSyncAuditEvents, AuditEventPage>());
}
