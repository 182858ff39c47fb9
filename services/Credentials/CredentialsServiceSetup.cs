using Bitcain.Contracts;
using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Credential;
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
        builder.AddBitcainEventStore(Schema, opts =>
        {
            CredentialEventNames.Register(opts.Events);
            opts.Projections.Add<CredentialViewProjection>(ProjectionLifecycle.Inline);
            opts.Schema.For<CredentialView>()
                .UniqueIndex(UniqueIndexType.Computed, "credential_name_per_exchange", TenancyScope.PerTenant,
                    x => x.ExchangeName, x => x.NameKey);
        });
    }

    private static bool IsUniqueViolation(Exception e)
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
            if (x is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } or ExistingStreamIdCollisionException) return true;
        return false;
    }

    public static void AddCredentialMessaging(this WebApplicationBuilder builder)
    {
        builder.Host.UseWolverine(opts =>
        {
            opts.UseBitcainRabbitMq(typeof(CredentialsServiceSetup).Assembly);
            opts.ListenToRabbitQueue(BusTopology.CredentialCommands).UseDurableInbox();
            opts.ListenToRabbitQueue(BusTopology.CredentialQueries).BufferedInMemory();
            opts.PublishIntegrationEvent<CredentialStoredV1>();

            opts.UseBitcainTransactions();

            // Two stores of the same credential name racing each other: the loser's unique-index violation
            // is retried once, and the retry sees the winner and answers 409 instead of failing.
            opts.OnException(IsUniqueViolation).RetryTimes(2);
        });
    }
}
