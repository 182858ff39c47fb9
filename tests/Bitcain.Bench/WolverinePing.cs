using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Bitcain.Bench;

public sealed record BenchPing(int Sequence);

public sealed record BenchPong(int Sequence);

public static class BenchPingHandler
{
    public static BenchPong Handle(BenchPing ping) => new(ping.Sequence);
}

/// <summary>The messaging floor: Wolverine request/reply between two hosts over the same RabbitMQ, no database.</summary>
public sealed class WolverinePing : IAsyncDisposable
{
    private const string Queue = "bitcain.bench.ping";
    private readonly IHost _sender;
    private readonly IHost _receiver;

    private WolverinePing(IHost sender, IHost receiver) => (_sender, _receiver) = (sender, receiver);

    public static async Task<WolverinePing> StartAsync(string rabbit)
    {
        var receiver = await Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseWolverine(opts =>
            {
                opts.UseRuntimeCompilation();
                opts.UseRabbitMq(new Uri(rabbit)).AutoProvision();
                opts.ListenToRabbitQueue(Queue);
            }).StartAsync();
        var sender = await Host.CreateDefaultBuilder()
            .ConfigureLogging(l => l.ClearProviders())
            .UseWolverine(opts =>
            {
                opts.UseRuntimeCompilation();
                opts.UseRabbitMq(new Uri(rabbit)).AutoProvision();
                opts.PublishMessage<BenchPing>().ToRabbitQueue(Queue);
                opts.Discovery.DisableConventionalDiscovery();
            }).StartAsync();
        return new WolverinePing(sender, receiver);
    }

    public async Task<Measurement> RoundTripsAsync(int count)
    {
        var bus = _sender.Services.GetRequiredService<IMessageBus>();
        for (var i = 0; i < 20; i++) await bus.InvokeAsync<BenchPong>(new BenchPing(i), default, TimeSpan.FromSeconds(30));

        var histogram = Measurement.NewHistogram();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await bus.InvokeAsync<BenchPong>(new BenchPing(i), default, TimeSpan.FromSeconds(10));
            histogram.RecordValue(Stopwatch.GetElapsedTime(start).Ticks);
        }
        var m = new Measurement("bare Wolverine request/reply ping", count, 0, clock.Elapsed, histogram);
        Console.WriteLine($"bench: {m.Name}: p50 {m.P50Ms:0.00} ms, p99 {m.P99Ms:0.00} ms");
        return m;
    }

    public async ValueTask DisposeAsync()
    {
        await _sender.StopAsync();
        await _receiver.StopAsync();
        _sender.Dispose();
        _receiver.Dispose();
    }
}
