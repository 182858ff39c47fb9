using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Daemon;
using JasperFx.MultiTenancy;
using Marten;
using Marten.Exceptions;
using Wolverine.ErrorHandling;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wolverine;
using Wolverine.Marten;

namespace Bitcain.ServiceDefaults;

/// <summary>How a Bitcain service keeps its events: its own schema, one tenant per user, Wolverine's durable inbox and outbox beside it.</summary>
public static class EventStoreDefaults
{
    public static MartenServiceCollectionExtensions.MartenConfigurationExpression AddBitcainEventStore(
        this WebApplicationBuilder builder, string schema, Action<StoreOptions> configure)
    {
        builder.Services.AddSingleton(TimeProvider.System);
        return builder.Services.AddMarten(opts =>
            {
                opts.Connection(WithDeadClientDetection(builder.Configuration.GetConnectionString("postgres")
                                                        ?? throw new InvalidOperationException("ConnectionStrings:postgres is not set")));
                opts.DatabaseSchemaName = schema;

                // Each user is a tenant: every query and stream is scoped to one user by Marten itself,
                // so no query can forget the user (CONTRACT: another user's id is a 404).
                opts.Events.TenancyStyle = TenancyStyle.Conjoined;
                opts.Policies.AllDocumentsAreMultiTenanted();
                opts.Events.StreamIdentity = StreamIdentity.AsGuid;

                // Without it the HotCold daemon never starts with the DistributedLock build served here
                // (../shared/recipes/marten-restore.md).
                opts.Events.UseAdvisoryLockTransaction = true;
                // One PostgreSQL database serves every service; with Marten's one default lock id the services would
                // take turns at a single HotCold lock instead of each electing its own daemon among its instances.
                opts.Projections.DaemonLockId = DaemonLockId(schema);
                configure(opts);
            })
            .UseLightweightSessions()
            .ApplyAllDatabaseChangesOnStartup()
            .AddAsyncDaemon(DaemonMode.HotCold)
            .IntegrateWithWolverine(w => w.MessageStorageSchemaName = schema + "_messages");
    }

    /// <summary>
    /// The session settings that let PostgreSQL notice a dead instance while its backend is busy: the HotCold daemon
    /// holds its lock on a connection that waits in <c>pg_sleep</c>, and a backend that sleeps does not read its
    /// socket, so a killed holder kept the lock until the sleep ended (measured: the survivor took over 49 s after a
    /// SIGKILL; with the check, 3.6 s). The keepalives do the same when the holder's machine vanishes without
    /// closing its sockets (about 25 s). Session settings, not server ones, so they hold on any PostgreSQL server,
    /// managed ones included (PostgreSQL 14 or later: the check's first version); a setting the connection string's
    /// <c>Options</c> already names is left as it is.
    /// </summary>
    public static string WithDeadClientDetection(string connectionString)
    {
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
        var options = builder.Options ?? "";
        foreach (var (name, value) in DeadClientSettings)
        {
            if (!options.Contains(name, StringComparison.OrdinalIgnoreCase))
                options = $"{options} -c {name}={value}".TrimStart();
        }
        builder.Options = options;
        return builder.ConnectionString;
    }

    public static readonly IReadOnlyList<(string Name, string Value)> DeadClientSettings =
    [
        ("client_connection_check_interval", "1000"),
        ("tcp_keepalives_idle", "10"),
        ("tcp_keepalives_interval", "5"),
        ("tcp_keepalives_count", "3"),
    ];

    /// <summary>
    /// The advisory lock whose holder runs the service's async projections (<c>pg_locks.objid</c>): a stable
    /// FNV-1a hash of the schema name, so every instance of one service agrees on it and services never share it.
    /// </summary>
    public static int DaemonLockId(string schema)
    {
        var hash = 2166136261u;
        foreach (var c in schema)
            hash = (hash ^ c) * 16777619u;
        return (int)(hash & 0x7FFF_FFFF);
    }

    /// <summary>Every service commits its handler's Marten work and outgoing messages in one transaction.</summary>
    public static void UseBitcainTransactions(this WolverineOptions opts)
    {
        opts.Policies.AutoApplyTransactions();
        opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
        // Schema changes Marten still makes on first use (a new tenant's first document of a type) can collide
        // between instances; the loser finds the table there on its next try.
        opts.OnException<MartenSchemaException>().RetryWithCooldown(TimeSpan.FromMilliseconds(200), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5));
        // Two instances appending the first events of one stream at once (two first syncs of a new account) both
        // create it; the loser's transaction rolls back whole, and run again it appends to the stream the winner made.
        // Measured with two sync instances: 19 of 500 concurrent syncs of a new account were dead-lettered without this.
        opts.OnException(StartedTheSameStream).RetryWithCooldown(TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1));
        // Two appends to one stream at once (syncs of one account on two instances) can both take its next version;
        // the loser runs again on the new version. Measured: 12 of 300 concurrent syncs dead-lettered without this.
        // Each round lets at least one contender through, so the rounds grow with the instances that can collide.
        opts.OnException<EventStreamUnexpectedMaxEventIdException>()
            .RetryWithCooldown(TimeSpan.FromMilliseconds(20), TimeSpan.FromMilliseconds(50), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(250),
                TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(3));
    }

    /// <summary>
    /// A stream created concurrently: the unique violation of Marten's <c>mt_streams</c> primary key, or Marten's own
    /// translation of it when the stream was started by <c>FetchForWriting</c> (the aggregate handler workflow on a stream
    /// that did not exist yet: two first syncs of a new account), which carries no inner exception.
    /// </summary>
    public static bool StartedTheSameStream(Exception e)
    {
        for (var x = e; x is not null; x = x.InnerException)
        {
            if (x is Marten.Exceptions.ExistingStreamIdCollisionException) return true;
            if (x is Npgsql.PostgresException { SqlState: "23505" } p && p.ConstraintName?.StartsWith("pkey_mt_streams", StringComparison.Ordinal) == true)
                return true;
        }
        return false;
    }
}
