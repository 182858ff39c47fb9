using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Bitcain.ExchangeSimulator;

/// <summary>Starts a simulator inside the calling process (tests, benchmarks, AppHost).</summary>
public static class SimulatorHost
{
    public static async Task<RunningSimulator> StartAsync(SimulatorOptions? options = null, CancellationToken ct = default)
    {
        options ??= new SimulatorOptions();
        var app = SimulatorApp.Build(options);
        await app.StartAsync(ct);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!
            .Addresses.First();
        return new RunningSimulator(app, SimulatorApp.StateOf(app), new Uri(address.TrimEnd('/') + "/"));
    }
}

public sealed class RunningSimulator : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly SimulatorState _state;

    internal RunningSimulator(WebApplication app, SimulatorState state, Uri root)
    {
        _app = app;
        _state = state;
        Root = root;
    }

    /// <summary><c>http://127.0.0.1:{port}/</c></summary>
    public Uri Root { get; }

    /// <summary><c>http://127.0.0.1:{port}/{exchange}</c>, to which a client appends the exchange's real path.</summary>
    public string BaseUrl(string exchange) =>
        _state.Exchanges.TryGetValue(exchange, out var e)
            ? new Uri(Root, e.Name).ToString()
            : throw new ArgumentException($"The simulator has no exchange '{exchange}'.", nameof(exchange));

    public IReadOnlyList<string> Exchanges => _state.Exchanges.Keys.ToList();

    public IReadOnlyList<SimulatedAccount> Accounts => _state.Accounts;

    public SimulatedAccount Account(string exchange, string name) =>
        _state.Accounts.FirstOrDefault(a => string.Equals(a.Exchange, exchange, StringComparison.OrdinalIgnoreCase) && a.Name == name)
        ?? throw new ArgumentException($"The simulator has no account '{name}' on '{exchange}'.");

    /// <summary>What a seeded account holds and traded, to compare a client's reading with.</summary>
    public AccountHoldings Holdings(string exchange, string account) =>
        _state.Exchanges.TryGetValue(exchange, out var e)
            ? e.Holdings(account)
            : throw new ArgumentException($"The simulator has no exchange '{exchange}'.", nameof(exchange));

    /// <summary>The simulator's own record of a Binance or Binance.US account's trades (the seed history plus any added).</summary>
    public IReadOnlyList<SimulatedTrade> Trades(string exchange, string name, string? symbol = null) =>
        BinanceVenueOf(exchange).TradesOf(name, symbol) ?? throw new ArgumentException($"The simulator has no account '{name}' on '{exchange}'.");

    /// <summary>Appends <paramref name="count"/> trades on <paramref name="symbol"/> after the account's last, as
    /// <c>POST /__sim/accounts/{exchange}/{name}/trades</c> does; <see cref="Reset"/> removes them.</summary>
    public IReadOnlyList<SimulatedTrade> AddTrades(string exchange, string name, string symbol, int count)
    {
        var (added, error) = BinanceVenueOf(exchange).AddTrades(name, symbol, count);
        return error is null ? added : throw new ArgumentException(error);
    }

    private Binance.BinanceExchange BinanceVenueOf(string exchange) =>
        _state.Exchanges.TryGetValue(exchange, out var e) && e is Binance.BinanceExchange binance
            ? binance
            : throw new ArgumentException($"Trade histories are held for binance and binanceus only, not '{exchange}'.", nameof(exchange));

    public SimulatorFaults Faults => _state.Faults;

    public SimulatorRequests Requests => _state.Requests;

    public SimulatorOptions Options => _state.Options;

    /// <summary>Clears faults, request counts, rate-limit counters, bans, nonces and trades added at run time.</summary>
    public void Reset()
    {
        _state.Faults.Clear();
        _state.Requests.Reset();
        _state.ResetState();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
