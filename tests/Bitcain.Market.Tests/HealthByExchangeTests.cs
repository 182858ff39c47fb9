using Bitcain.Contracts.Market;
using Bitcain.Exchanges;
using Bitcain.Market.ExchangeHealth;
using Bitcain.Market.Markets;
using Marten;
using Microsoft.Extensions.Logging.Abstractions;
using Shouldly;

namespace Bitcain.Market.Tests;

/// <summary>The health report over every exchange, with the exchange calls faked: no servers needed.</summary>
public sealed class HealthByExchangeTests
{
    [Fact]
    public async Task one_exchange_whose_health_check_throws_something_untyped_is_down_with_malformed_response_and_the_others_are_reported()
    {
        var clients = new FakeClients(ExchangeServiceCollectionExtensions.ImplementedExchanges
            .Select(id => new FakeClient(id, throws: id == "kraken")).ToList<IExchangeClient>());
        // Recording transitions needs PostgreSQL; here it fails and is skipped, as the monitor does when the store is down.
        using var store = DocumentStore.For("Host=127.0.0.1;Port=1;Database=none;Username=none;Password=none;Timeout=1");
        var monitor = new ExchangeHealthMonitor(clients, store, new ExchangeDeadline(TimeSpan.FromSeconds(5)), TimeProvider.System,
            NullLogger<ExchangeHealthMonitor>.Instance);

        var report = await GetExchangeHealthHandler.Handle(new GetExchangeHealth(null, true), monitor, clients, TimeProvider.System);

        var kraken = report.Exchanges.Single(e => e.Exchange == "kraken");
        kraken.Status.ShouldBe(HealthStatus.Down);
        kraken.Error.ShouldNotBeNull().ShouldStartWith("malformed_response");
        kraken.Error.ShouldNotContain(FakeClient.Echo);
        report.Exchanges.Where(e => clients.Exchanges.Contains(e.Exchange) && e.Exchange != "kraken").ShouldAllBe(e => e.Status == HealthStatus.Ok);
        report.Status.ShouldBe("degraded");
    }

    private sealed class FakeClients(IReadOnlyList<IExchangeClient> clients) : IExchangeClients
    {
        public IReadOnlyList<string> Exchanges { get; } = clients.Select(c => c.Exchange).ToList();

        public bool TryGet(string? name, out IExchangeClient client)
        {
            client = clients.FirstOrDefault(c => c.Exchange == name)!;
            return client is not null;
        }

        public IExchangeClient Get(string name) => TryGet(name, out var client) ? client : throw new KeyNotFoundException(name);
    }

    private sealed class FakeClient(string exchange, bool throws) : IExchangeClient
    {
        public const string Echo = "body-text-the-report-must-not-repeat";

        public string Exchange => exchange;
        public ExchangeCapabilities Capabilities => ExchangeCapabilities.Health;

        public Task<Bitcain.Exchanges.ExchangeHealth> GetHealthAsync(CancellationToken ct = default) => throws
            ? throw new InvalidOperationException(Echo)
            : Task.FromResult(new Bitcain.Exchanges.ExchangeHealth(ExchangeSystemStatus.Normal, null, DateTimeOffset.UtcNow, TimeSpan.FromMilliseconds(5)));

        public Task<DateTimeOffset> GetServerTimeAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<Bitcain.Exchanges.Market>> GetMarketsAsync(CancellationToken ct = default) => throw new NotSupportedException();
        public Task<Ticker> GetTickerAsync(string symbol, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<IReadOnlyDictionary<string, Balance>> GetBalancesAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) => throw new NotSupportedException();
        public Task<KeyPermissions> GetKeyPermissionsAsync(ExchangeApiCredentials credentials, CancellationToken ct = default) => throw new NotSupportedException();
        public IAsyncEnumerable<TradePage> GetMyTradesAsync(ExchangeApiCredentials credentials, MyTradesQuery query, CancellationToken ct = default) => throw new NotSupportedException();
    }
}
