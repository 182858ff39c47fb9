using Bitcain.Contracts;
using Bitcain.Contracts.Credentials;
using Bitcain.Contracts.Market;
using Bitcain.ServiceDefaults;
using Wolverine;
using Wolverine.RabbitMQ;

namespace Bitcain.Gateway.Messaging;

public static class GatewayMessaging
{
    /// <summary>The gateway owns nothing: every command and query goes to the queue of the service that owns it.</summary>
    public static void AddGatewayMessaging(this WebApplicationBuilder builder)
    {
        builder.Services.AddScoped<ServiceCalls>();
        builder.Services.AddSingleton<PendingReplies>();
        builder.Host.UseWolverine(opts =>
        {
            opts.UseBitcainRabbitMq(typeof(GatewayMessaging).Assembly);
            opts.PublishMessage<StoreCredential>().ToRabbitQueue(BusTopology.CredentialCommands);
            opts.PublishMessage<ListCredentials>().ToRabbitQueue(BusTopology.CredentialQueries);
            opts.PublishMessage<GetCredential>().ToRabbitQueue(BusTopology.CredentialQueries);
            opts.PublishMessage<GetSupportedExchanges>().ToRabbitQueue(BusTopology.MarketQueries);
        });
    }
}
