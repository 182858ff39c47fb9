using System.Diagnostics;
using JasperFx;
using JasperFx.Events;
using JasperFx.Events.Projections;
using Marten;
using Marten.Events.Aggregation;
using Microsoft.Extensions.Hosting;
using Wolverine;
using Wolverine.Marten;
using Wolverine.RabbitMQ;
using Wolverine.RabbitMQ.Internal;

namespace Bitcain.Bench;

public sealed record FloorCommand(Guid Id, string Name);

public sealed record FloorStored(Guid Id, string Name);

public sealed record FloorReply(Guid Id, long Version);

public sealed class FloorView
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public long Version { get; set; }
}

public sealed partial class FloorViewProjection : SingleStreamProjection<FloorView, Guid>
{
    public static FloorView Create(IEvent<FloorStored> e) => new() { Id = e.Data.Id, Name = e.Data.Name, Version = e.Version };
}

public static class FloorCommandHandler
{
    // No Bitcain code: one new stream, the inline projection in the same transaction (AutoApplyTransactions), and
    // the reply through the durable outbox.
    public static FloorReply Handle(FloorCommand command, IDocumentSession session)
    {
        session.Events.StartStream<FloorView>(command.Id, new FloorStored(command.Id, command.Name));
        return new FloorReply(command.Id, 1);
    }
}

/// <summary>
/// The durable floor of a command: what any command that must survive a crash and be applied exactly once costs on
/// this broker and database, with no Bitcain code. Two hosts over the bench's RabbitMQ and PostgreSQL; the receiver
/// takes the command into its durable inbox, appends one event to a new stream with an inline single-stream
/// projection in one Marten transaction, and replies through the durable outbox. Both sides wait for publisher
/// confirms, as Bitcain's services do (a durable send is only done when the broker has the message).
/// </summary>
public sealed class CommandFloor : IAsyncDisposable
{
    private const string Queue = "bitcain.bench.floor";
    private readonly IHost _sender;
    private readonly IHost _receiver;

    private CommandFloor(IHost sender, IHost receiver) => (_sender, _receiver) = (sender, receiver);

    public static async Task<CommandFloor> StartAsync(string rabbit, string postgres)
    {
        var receiver = await Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .ConfigureServices(services => services.AddMarten(opts =>
                {
                    opts.Connection(postgres);
                    opts.DatabaseSchemaName = "bench_floor";
                    opts.AutoCreateSchemaObjects = AutoCreate.CreateOrUpdate;
                    opts.Events.StreamIdentity = StreamIdentity.AsGuid;
                    opts.Projections.Add<FloorViewProjection>(ProjectionLifecycle.Inline);
                })
                .UseLightweightSessions()
                .ApplyAllDatabaseChangesOnStartup()
                .IntegrateWithWolverine(w => w.MessageStorageSchemaName = "bench_floor_messages"))
            .UseWolverine(opts =>
            {
                opts.ApplicationAssembly = typeof(CommandFloor).Assembly;
                opts.UseRuntimeCompilation();
                Confirmed(opts.UseRabbitMq(new Uri(rabbit)).AutoProvision());
                opts.ListenToRabbitQueue(Queue).UseDurableInbox();
                opts.Policies.AutoApplyTransactions();
                opts.Policies.UseDurableOutboxOnAllSendingEndpoints();
                opts.Discovery.DisableConventionalDiscovery().IncludeType(typeof(FloorCommandHandler));
            }).StartAsync();
        var sender = await Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseWolverine(opts =>
            {
                opts.UseRuntimeCompilation();
                Confirmed(opts.UseRabbitMq(new Uri(rabbit)).AutoProvision());
                opts.PublishMessage<FloorCommand>().ToRabbitQueue(Queue).SendInline();
                opts.Discovery.DisableConventionalDiscovery();
            }).StartAsync();
        return new CommandFloor(sender, receiver);
    }

    private static void Confirmed(RabbitMqTransportExpression rabbit) =>
        rabbit.ConfigureChannelCreation(channel =>
        {
            channel.PublisherConfirmationsEnabled = true;
            channel.PublisherConfirmationTrackingEnabled = true;
        });

    private long _sent;

    /// <summary>Commands sent so far, warm-ups included (for CPU per command).</summary>
    public long Sent => Interlocked.Read(ref _sent);

    private Task<FloorReply> SendAsync(IMessageBus bus, long n)
    {
        Interlocked.Increment(ref _sent);
        return bus.InvokeAsync<FloorReply>(new FloorCommand(Guid.CreateVersion7(), $"floor-{n}"), default, TimeSpan.FromSeconds(30));
    }

    /// <summary>Sequential round trips, measured as the credential store's are.</summary>
    public async Task<Measurement> RoundTripsAsync(int count)
    {
        var bus = _sender.Services.GetRequiredService<IMessageBus>();
        for (var i = 0; i < 20; i++) await SendAsync(bus, i);

        var histogram = Measurement.NewHistogram();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await SendAsync(bus, i);
            histogram.RecordValue(Stopwatch.GetElapsedTime(start).Ticks);
        }
        var m = new Measurement("durable command floor (inbox, 1 event + inline projection, outbox reply)", count, 0, clock.Elapsed, histogram);
        Console.WriteLine($"bench: {m.Name}: p50 {m.P50Ms:0.00} ms, p99 {m.P99Ms:0.00} ms");
        return m;
    }

    /// <summary>A closed loop of <paramref name="clients"/> senders, as <see cref="Load"/> runs the HTTP loads.</summary>
    public async Task<Measurement> ClosedLoopAsync(BenchOptions options)
    {
        var bus = _sender.Services.GetRequiredService<IMessageBus>();
        long sequence = 0;
        await RunAsync(options.Warmup, Measurement.NewHistogram());
        var histogram = Measurement.NewHistogram();
        var (requests, errors, elapsed) = await RunAsync(options.Duration, histogram);
        var m = new Measurement($"durable command floor, {options.Concurrency} clients", requests, errors, elapsed, histogram);
        Console.WriteLine($"bench: {m.Name}: {m.PerSecond:0} commands/s, p50 {m.P50Ms:0.00} ms, p99 {m.P99Ms:0.00} ms, {errors} errors");
        return m;

        async Task<(long, long, TimeSpan)> RunAsync(TimeSpan duration, HdrHistogram.LongHistogram h)
        {
            long done = 0, failed = 0;
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, options.Concurrency).Select(async _ =>
            {
                while (clock.Elapsed < duration)
                {
                    var start = Stopwatch.GetTimestamp();
                    try { await SendAsync(bus, Interlocked.Increment(ref sequence)); }
                    catch (Exception) { Interlocked.Increment(ref failed); }
                    var ticks = Stopwatch.GetElapsedTime(start).Ticks;
                    lock (h) h.RecordValue(ticks);
                    Interlocked.Increment(ref done);
                }
            }));
            return (done, failed, clock.Elapsed);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _sender.StopAsync();
        await _receiver.StopAsync();
        _sender.Dispose();
        _receiver.Dispose();
    }
}
