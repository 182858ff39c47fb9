using System.Diagnostics.Metrics;
using Wolverine.Util;

namespace Bitcain.ServiceDefaults.ServiceQueries;

/// <summary>
/// The commands a caller puts on the bus, by message type and how the caller was answered: a rising share of
/// <c>queued</c> (the 504 that says the command waits in its durable queue) means a service is down or behind.
/// </summary>
public static class CommandMetrics
{
    /// <summary>The gateway is the one caller; dashboards know the meter and instrument by these names.</summary>
    public const string MeterName = "Bitcain.Gateway";

    private static readonly Meter Meter = new(MeterName, "1.0");

    private static readonly Counter<long> Commands = Meter.CreateCounter<long>(
        "bitcain.gateway.commands", "{command}", "Commands sent to the services, by message type and outcome (answered, queued, unavailable)");

    public const string Answered = "answered";
    /// <summary>The wait ended first: the caller got a 504 and the command stays queued.</summary>
    public const string Queued = "queued";
    /// <summary>Not sent, or the service failed it: the caller got a 503.</summary>
    public const string Unavailable = "unavailable";

    public static void Sent(object command, string outcome) =>
        Commands.Add(1, new KeyValuePair<string, object?>("message.type", command.GetType().ToMessageTypeName()),
            new KeyValuePair<string, object?>("outcome", outcome));
}
