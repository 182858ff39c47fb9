using Bitcain.ServiceDefaults.HttpQueries;
using Bitcain.Contracts;
using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
using Bitcain.Credentials.ScrubbingSealedCommands;
using Bitcain.Credentials.Sealing;
using Bitcain.Credentials.ValidatingCredential;
using Bitcain.Secrets;
using JasperFx.Events;
using Bitcain.ServiceDefaults;
using JasperFx.Events.Projections;
using Marten.Exceptions;
using Marten.Schema;
using Marten.Schema.Indexing.Unique;
using Npgsql;
using Wolverine;
using Wolverine.ErrorHandling;
using Wolverine.RabbitMQ;

namespace Bitcain.Credentials;

public static class CredentialsServiceSetup
{
    public const string Schema = "credentials";

    public static void AddCredentialStore(this WebApplicationBuilder builder)
    {
        builder.Services.AddCredentialVault(builder.Configuration, builder.Environment);
        builder.Services.AddSingleton<SecretsIntake>();
        builder.Services.AddSingleton<SealedCommandScrubber>();
        builder.Services.AddHostedService<SealedCommandSweep>();
        builder.AddBitcainEventStore(Schema, opts =>
        {
            opts.Connection(WithPreparedStatements(EventStoreDefaults.WithDeadClientDetection(
                builder.Configuration.GetConnectionString("postgres") ?? throw new InvalidOperationException("ConnectionStrings:postgres is not set"))));
            CredentialEventNames.Register(opts.Events);
            opts.Projections.Add<CredentialViewProjection>(ProjectionLifecycle.Inline);
            // Known at start-up, so its table is created then and not by the first store, which two instances would race to do.
            opts.RegisterDocumentType<CredentialDataKey>();
            opts.Schema.For<CredentialView>()
                .UniqueIndex(UniqueIndexType.Computed, "credential_name_per_exchange", TenancyScope.PerTenant,
                    x => x.ExchangeName, x => x.NameKey);
        });
    }

    /// <summary>
    /// A store runs the same dozen statements every time (the inbox row, the two reads, the append, the projection, the
    /// outbox row, the validation's reads and append). Measured at 16 clients storing, PostgreSQL parsed and planned every
    /// one of them anew and ran a <c>DISCARD ALL</c> at each of the 6-7 times a connection came back from the pool: about
    /// a third of its CPU per store. Prepared once per connection and kept across the pool, they are planned once; the
    /// reset goes because nothing in this service leaves session state on a pooled connection (locks are transaction
    /// locks, the daemon's lock lives on its own connection, no temp tables, no <c>SET</c>). A setting the connection
    /// string already names is left as it is.
    /// </summary>
    public static string WithPreparedStatements(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Max Auto Prepare", StringComparison.OrdinalIgnoreCase)) builder.MaxAutoPrepare = 64;
        if (!connectionString.Contains("Auto Prepare Min Usages", StringComparison.OrdinalIgnoreCase)) builder.AutoPrepareMinUsages = 2;
        if (!connectionString.Contains("No Reset On Close", StringComparison.OrdinalIgnoreCase)) builder.NoResetOnClose = true;
        return builder.ConnectionString;
    }

    private static bool IsUniqueViolation(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } or Marten.Exceptions.ExistingStreamIdCollisionException) return true;
        return false;
    }

    private static bool IsConcurrentChange(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is JasperFx.ConcurrencyException or EventStreamUnexpectedMaxEventIdException) return true;
        return false;
    }

    public static void AddCredentialMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IMissingUserReplies, CredentialMissingUserReplies>();
        builder.Host.UseWolverine(opts =>
        {
            opts.UseBitcainRabbitMq(typeof(CredentialsServiceSetup).Assembly, builder.Configuration);
            // A command that fails for good is kept in the database's dead letters, not RabbitMQ's dead-letter queue:
            // store and update commands carry sealed secrets, and only rows can be scrubbed once the credential is
            // deleted (SealedCommandScrubber); a message in a queue stays until someone consumes it.
            opts.ListenToRabbitQueue(BusTopology.CredentialCommands)
                .DeadLetterQueueing(BusRouting.DeadLettersOf(BusTopology.CredentialCommands)!)
                .UseDurableInbox();
            opts.ListenToRabbitQueue(BusTopology.CredentialQueries).BufferedInMemory();
            // It sends to no other service: only its integration events leave it.
            opts.RouteBitcainMessages();

            // Validation after a key is stored or rotated runs in the background, here, through the durable outbox:
            // the store answers at once and the check survives a restart.
            opts.PublishMessage<ValidateStoredCredential>().ToLocalQueue("credential-validation").UseDurableInbox();
            opts.PublishMessage<ScrubCredentialCommands>().ToLocalQueue("credential-scrubbing").UseDurableInbox();

            opts.UseBitcainTransactions();
            opts.RequireUserOnUserMessages();

            // Two stores of the same credential name racing each other: the loser's unique-index violation
            // is retried once, and the retry sees the winner and answers 409 instead of failing.
            opts.OnException(IsUniqueViolation).RetryTimes(2);

            // Two changes of one credential at once: the stream version moved under the loser, whose commit fails;
            // the handler runs again on the new state (a fresh session), so no update is lost.
            opts.OnException(IsConcurrentChange).RetryWithCooldown(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50),
                TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400));
        });
    }

    /// <summary>
    /// The gateway's credential reads, over HTTP: the bus handlers answer them in the asserted user's tenant. The sealed
    /// credential (sync only), the sealing key and key validation stay on the bus. The REST API's two credential reads are
    /// also answered in their response shape, for the gateway to forward (ReadingCredentials/CredentialResponses).
    /// </summary>
    public static void MapCredentialQueries(this WebApplication app) => app.MapHttpQueries(queries => queries
        .Answer<ListCredentials, CredentialList>()
        .Answer<GetCredential, CredentialReply>()
        .Answer<GetCredentialEvents, CredentialEventsReply>()
        .Answer<GetCredentialAuditEvents, AuditEventPage>()
        .Write<ListCredentials>(CredentialResponseQueries.List, ReadingCredentials.CredentialResponses.WriteListAsync)
        .Write<GetCredential>(CredentialResponseQueries.Detail, ReadingCredentials.CredentialResponses.WriteDetailAsync));
}
