using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using Bitcain.Contracts;
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

    /// <param name="application">The service's own assembly: handler discovery must not wander into other services
    /// hosted in the same process (tests host them all together).</param>
    public static RabbitMqTransportExpression UseBitcainRabbitMq(this WolverineOptions opts, Assembly application)
    {
        opts.ApplicationAssembly = application;
        opts.UseRuntimeCompilation();
        opts.UseSystemTextJsonForSerialization(o =>
        {
            o.PropertyNamingPolicy = JsonOptions.PropertyNamingPolicy;
            o.DictionaryKeyPolicy = null;
            o.PropertyNameCaseInsensitive = true;
            foreach (var converter in JsonOptions.Converters) o.Converters.Add(converter);
        });

        var rabbit = opts.UseRabbitMqUsingNamedConnection("rabbitmq").AutoProvision();
        rabbit.DeclareExchange(BusTopology.Events, e => e.ExchangeType = ExchangeType.Topic);
        return rabbit;
    }

    /// <summary>Publishes <typeparamref name="T"/> to the events exchange with its versioned name as routing key.</summary>
    public static void PublishIntegrationEvent<T>(this WolverineOptions opts)
    {
        opts.PublishMessage<T>().ToRabbitTopic(MessageName<T>(), BusTopology.Events);
    }

    public static string MessageName<T>() =>
        typeof(T).GetCustomAttribute<MessageIdentityAttribute>()?.Alias
        ?? throw new InvalidOperationException($"{typeof(T).Name} needs a [MessageIdentity] name: it crosses the bus");
}
