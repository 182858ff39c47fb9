using Alba;
using Bitcain.ServiceDefaults.ServiceQueries;
using Bitcain.Testing;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests;

/// <summary>
/// A gateway that cannot reach a service over HTTP asks on the bus, as every gateway did before the HTTP read path:
/// a deployment without discovery, or a service instance that is down. The queries then travel as other systems send
/// them, routed by their kind, and their replies come back through the one generic reply handler, a query that names
/// a user (credentials, sync) and one that names none (market data) alike.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class BusQueryTests(BitcainSuite suite) : IAsyncLifetime
{
    private readonly Unreachable unreachable = new();
    private IAlbaHost gateway = null!;

    public async Task InitializeAsync() =>
        gateway = await suite.StartAsync<Bitcain.Gateway.Program>(s => s.AddKeyedSingleton<HttpMessageHandler>(HttpQueryClient.HandlerKey, unreachable));

    public async Task DisposeAsync() => await gateway.DisposeAsync();

    [Fact]
    public async Task queries_of_every_service_are_answered_on_the_bus_when_http_cannot_reach_it()
    {
        var user = "busq-" + Guid.NewGuid().ToString("N")[..10];
        await Users.Client(suite.Gateway, TestTokens.For(user)).StoreAsync(Users.NewCredential(exchange: "kraken", name: "OnTheBus"));
        var api = Users.Client(gateway, TestTokens.For(user));

        var credentials = await api.ListCredentialsAsync();
        credentials.TotalCount.ShouldBe(1);
        credentials.Credentials.ShouldHaveSingleItem().CredentialName.ShouldBe("OnTheBus");
        (await api.GetSyncStatusAsync()).TotalCount.ShouldBe(0);
        (await api.GetSupportedExchangesAsync()).Exchanges.ShouldContain(e => e.Id == "kraken");

        // Each was tried over HTTP first, then on the bus: nothing was answered over HTTP.
        unreachable.Tried.ShouldBeGreaterThanOrEqualTo(3);
    }

    /// <summary>A service that nobody listens for: the connection is refused before any HTTP status exists.</summary>
    private sealed class Unreachable : HttpMessageHandler
    {
        private int tried;
        public int Tried => tried;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            Interlocked.Increment(ref tried);
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (test)");
        }
    }
}
