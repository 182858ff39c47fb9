using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bitcain.Contracts;
using Bitcain.ServiceDefaults.BusIdentity;
using Microsoft.Extensions.Configuration;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.RabbitMQ;
using Wolverine.RabbitMQ.Internal;

namespace Bitcain.ServiceDefaults;

/// <summary>The message-bus conventions every service shares, so that all of them speak the same JSON on RabbitMQ.</summary>
public static class BitcainMessaging
{
    /// <summary>
    /// snake_case JSON with enums as strings: what a plain AMQP client in any language reads and writes
    /// (the README documents the bodies in this form).
    /// </summary>
    public static JsonSerializerOptions JsonOptions { get; } = CreateJsonOptions();

    private static JsonSerializerOptions CreateJsonOptions()
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
        };
        options.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower));
        return options;
    }

    /// <summary>On a RabbitMQ cluster: declare every durable queue as a quorum queue (replicated over the nodes).</summary>
    public const string QuorumQueuesSetting = "Messaging:QuorumQueues";

    /// <summary>The <c>x-delivery-limit</c> of durable quorum queues; -1 turns RabbitMQ 4's default of 20 off.</summary>
    public const string DeliveryLimitSetting = "Messaging:DeliveryLimit";

    /// <param name="application">The service's own assembly: handler discovery must not wander into other services
    /// hosted in the same process (tests host them all together).</param>
    /// <param name="configuration">Read for <see cref="QuorumQueuesSetting"/> and <see cref="DeliveryLimitSetting"/>.</param>
    public static RabbitMqTransportExpression UseBitcainRabbitMq(this WolverineOptions opts, Assembly application, IConfiguration configuration)
    {
        opts.ApplicationAssembly = application;
        // Wolverine's default envelope ids (NewId: MAC address, clock, sequence) collide between processes on one
        // host, and the durable inbox then drops the second message as a "duplicate". 6.64.2 adds the process id,
        // which fixes plain processes but not containers, where every service is PID 1: two processes minting 200,000
        // ids each from the same instant shared 13,640 ids on 6.62, none on 6.64.2, and 1,122 on 6.64.2 when each ran
        // as PID 1 of its own PID namespace on one network (pods with hostNetwork, containers sharing a network).
        // Version 7 GUIDs carry 74 random bits and depend on neither.
        opts.EnvelopeIdGeneration = EnvelopeIdGeneration.GuidV7;
        opts.UseSystemTextJsonForSerialization(o =>
        {
            o.PropertyNamingPolicy = JsonOptions.PropertyNamingPolicy;
            o.DictionaryKeyPolicy = null;
            o.PropertyNameCaseInsensitive = true;
            foreach (var converter in JsonOptions.Converters) o.Converters.Add(converter);
        });

        // Every message this process sends says who sends it, for whom, and for which bytes; every message it handles
        // from the bus is checked for that before its handler runs (README, "Who may act on the bus").
        opts.UseBusIdentity(configuration, IdentityNameOf(application),
            chain => chain.MessageType.Assembly == application || chain.MessageType.Assembly == typeof(BusTopology).Assembly);

        var rabbit = opts.UseRabbitMqUsingNamedConnection("rabbitmq").AutoProvision();
        rabbit.DeclareExchange(BusTopology.Events, e => e.ExchangeType = ExchangeType.Topic);
        // A publish returns once the broker has taken the message: the outbox deletes its row, and the gateway
        // answers "queued", only for a message that is really there.
        rabbit.ConfigureChannelCreation(channel =>
        {
            channel.PublisherConfirmationsEnabled = true;
            channel.PublisherConfirmationTrackingEnabled = true;
        });
        if (configuration.GetValue<bool>(QuorumQueuesSetting))
        {
            // A queue's type is fixed when it is declared: switching an existing classic queue needs it deleted
            // (drained) first; ops/cluster/README.md says how.
            rabbit.UseQuorumQueues();
            if (configuration.GetValue<int?>(DeliveryLimitSetting) is { } limit)
                rabbit.DeliveryLimitForDurableQuorumQueues(limit);
        }
        return rabbit;
    }

    /// <summary>Bitcain.Sync signs as <c>sync</c> unless <c>Bus:Identity:Name</c> names it otherwise.</summary>
    public static string IdentityNameOf(Assembly application) =>
        (application.GetName().Name ?? "service").Split('.')[^1].ToLowerInvariant();

    public static string MessageName<T>() => MessageName(typeof(T));

    public static string MessageName(Type message) =>
        message.GetCustomAttribute<MessageIdentityAttribute>()?.Alias
        ?? throw new InvalidOperationException($"{message.Name} needs a [MessageIdentity] name: it crosses the bus");
}
