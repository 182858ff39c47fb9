using System.Globalization;
using Bitcain.Exchanges;
using Bitcain.Sync.Account;
using Bitcain.Sync.Auditing;
using Bitcain.Sync.SyncingTrades;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;
using Xunit;

namespace Bitcain.Sync.Tests;

/// <summary>The user's kept trade count (what a list filtered by exchange alone reports as <c>total_records</c>) against the
/// rows themselves, and the slim page event against what the audit and the run read from it.</summary>
[Collection(SyncCollection.Name)]
public sealed class TradeCountTests(SyncSuite sync)
{
    private static List<Trade> Page(string market, string exchangeSymbol, int first, int count, DateTimeOffset newest) =>
        Enumerable.Range(first, count).Select(i => new Trade(i.ToString(CultureInfo.InvariantCulture), "o" + i, market, exchangeSymbol,
            i % 3 == 0 ? TradeSide.Sell : TradeSide.Buy, 100m + i, 0.5m, (100m + i) * 0.5m, i % 4 == 0 ? null : 0.01m, i % 4 == 0 ? null : "BNB",
            newest.AddSeconds(-i), null)).ToList();

    private static OpenedAccount Account(string exchange) => new(Guid.NewGuid(), exchange, new ExchangeApiCredentials("key-not-used", "secret-not-used", null));

    private async Task<Dictionary<string, (long Kept, long Rows)>> CountsAsync(string user)
    {
        await using var conn = new NpgsqlConnection(sync.Suite.Infrastructure.Postgres);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand("""
            SELECT coalesce(c.exchange, r.exchange), coalesce(c.trades, 0), coalesce(r.n, 0)
            FROM (SELECT exchange, trades FROM sync.trade_counts WHERE tenant_id = $1) c
            FULL JOIN (SELECT exchange, count(*) AS n FROM sync.trades WHERE tenant_id = $1 GROUP BY exchange) r ON r.exchange = c.exchange
            """, conn) { Parameters = { new() { Value = user } } };
        var counts = new Dictionary<string, (long, long)>();
        await using var r = await cmd.ExecuteReaderAsync();
        while (await r.ReadAsync()) counts[r.GetString(0)] = (r.GetInt64(1), r.GetInt64(2));
        return counts;
    }

    [Fact]
    public async Task the_kept_count_equals_the_rows_after_syncs_re_syncs_overlapping_pages_and_concurrent_syncs_of_two_accounts()
    {
        var services = sync.Suite.Sync.Services;
        var store = services.GetRequiredService<IDocumentStore>();
        var table = services.GetRequiredService<TradeTable>();
        await table.EnsureCreatedAsync(default);
        var user = new User(sync);
        var (first, second, other) = (Account("binance"), Account("binance"), Account("kraken"));
        var newest = DateTimeOffset.UtcNow.AddDays(-3);
        var now = DateTimeOffset.UtcNow;
        Task<(int Stored, int Duplicates)> Store(OpenedAccount account, IReadOnlyList<Trade> page) =>
            Task.Run(() => TradePages.StoreAsync(store, table, user.Id, account, page[0].Symbol, page, null, now, default));

        // Two accounts of one user walking at once (their pages wait on one count row), a third on another exchange, and
        // the same page of the first account stored by two syncs at once (one of them finds it stored: all duplicates).
        var racing = new List<Task<(int Stored, int Duplicates)>>();
        for (var p = 0; p < 4; p++)
        {
            racing.Add(Store(first, Page("BTC/USDT", "BTCUSDT", p * 200, 200, newest)));
            racing.Add(Store(second, Page("BTC/USDT", "BTCUSDT", p * 200, 200, newest)));
            racing.Add(Store(other, Page("BTC/USD", "XBTUSD", p * 50, 50, newest)));
        }
        racing.Add(Store(first, Page("BTC/USDT", "BTCUSDT", 0, 200, newest)));
        var results = await Task.WhenAll(racing);
        results.Sum(r => r.Stored).ShouldBe(2 * 800 + 200);
        results.Sum(r => r.Duplicates).ShouldBe(200);

        // A re-sync (every trade stored) and a page half stored, half new: only the new half is counted.
        (await Store(first, Page("BTC/USDT", "BTCUSDT", 0, 800, newest))).ShouldBe((0, 800));
        (await Store(second, Page("BTC/USDT", "BTCUSDT", 700, 200, newest))).ShouldBe((100, 100));
        (await Store(first, Page("ETH/USDT", "ETHUSDT", 0, 30, newest))).ShouldBe((30, 0));

        var counts = await CountsAsync(user.Id);
        counts.ShouldBe(new Dictionary<string, (long, long)> { ["binance"] = (1730, 1730), ["kraken"] = (200, 200) }, ignoreOrder: true);

        // The list reports the kept count with the exchange alone, and the rows' own count with a symbol or a date.
        (await user.GetAsync("/api/exchange/trades?exchange=binance&limit=5&offset=1700")).Body["total_records"]!.GetValue<long>().ShouldBe(1730);
        var deep = (await user.GetAsync("/api/exchange/trades?exchange=binance&limit=100&offset=1700")).Body;
        deep["trades"]!.AsArray().Count.ShouldBe(30);
        deep["has_more"]!.GetValue<bool>().ShouldBeFalse();
        (await user.GetAsync("/api/exchange/trades?exchange=kraken")).Body["total_records"]!.GetValue<long>().ShouldBe(200);
        (await user.GetAsync("/api/exchange/trades?exchange=binance&symbol=ETHUSDT")).Body["total_records"]!.GetValue<long>().ShouldBe(30);
        var since = newest.AddSeconds(-99).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        (await user.GetAsync($"/api/exchange/trades?exchange=binance&start_date={since}")).Body["total_records"]!.GetValue<long>()
            .ShouldBe(2 * 100 + 30);
        (await new User(sync).GetAsync("/api/exchange/trades?exchange=binance")).Body["total_records"]!.GetValue<long>().ShouldBe(0);

        // Each page's event names exactly the trades its transaction stored (a market's ids, where the exchange numbers them per market).
        await using var session = store.QuerySession(user.Id);
        var recorded = new List<string>();
        foreach (var account in new[] { first, second, other })
            recorded.AddRange((await session.Events.FetchStreamAsync(account.CredentialId)).Select(e => e.Data).OfType<TradesSynced>()
                .SelectMany(e => e.StoredTradeIds().Select(id => $"{account.CredentialId}:{e.Symbol}:{id}")));
        recorded.Count.ShouldBe(1930);
        recorded.Distinct().Count().ShouldBe(1930);
    }

    [Fact]
    public async Task a_deployment_with_trades_but_no_counts_is_counted_once_when_the_table_is_first_used()
    {
        var services = sync.Suite.Sync.Services;
        var store = services.GetRequiredService<IDocumentStore>();
        var table = services.GetRequiredService<TradeTable>();
        await table.EnsureCreatedAsync(default);
        var user = new User(sync);
        await TradePages.StoreAsync(store, table, user.Id, Account("binance"), null, Page("BTC/USDT", "BTCUSDT", 0, 120, DateTimeOffset.UtcNow), null,
            DateTimeOffset.UtcNow, default);

        await using var conn = new NpgsqlConnection(sync.Suite.Infrastructure.Postgres);
        await conn.OpenAsync();
        await using (var drop = new NpgsqlCommand("DROP TABLE sync.trade_counts", conn)) await drop.ExecuteNonQueryAsync();
        await new TradeTable(table.Database).EnsureCreatedAsync(default);

        await using var cmd = new NpgsqlCommand("""
            SELECT count(*) FROM (SELECT tenant_id, exchange, count(*) AS n FROM sync.trades GROUP BY 1, 2) r
            FULL JOIN sync.trade_counts c USING (tenant_id, exchange) WHERE c.trades IS DISTINCT FROM r.n
            """, conn);
        ((long)(await cmd.ExecuteScalarAsync())!).ShouldBe(0, "every user's count equals its rows");
        (await CountsAsync(user.Id))["binance"].ShouldBe((120, 120));
    }

    [Fact]
    public async Task a_page_event_stored_with_its_whole_trades_before_the_slim_event_reads_the_same_in_the_audit_and_the_run()
    {
        var store = sync.Suite.Sync.Services.GetRequiredService<IDocumentStore>();
        var user = "user-" + Guid.NewGuid().ToString("N")[..12];
        var credential = Guid.NewGuid();
        var trades = Page("BTC/USDT", "BTCUSDT", 0, 3, DateTimeOffset.UtcNow).Select(TradeSync.ToSynced).ToList();
        var at = DateTimeOffset.UtcNow;
        await using (var session = store.LightweightSession(user))
        {
            session.Events.Append(credential, new TradeSyncStarted(credential, "binance", Guid.NewGuid(), "BTC/USDT", null, [], [], [], at));
            session.Events.Append(credential, new TradesSynced(credential, "binance", "BTC/USDT", trades, 2, at));
            session.Events.Append(credential, TradesSynced.Stored(credential, "binance", "BTC/USDT", ["7", "8"], 1, at));
            await session.SaveChangesAsync();
        }

        await using var query = store.QuerySession(user);
        var events = (await query.Events.FetchStreamAsync(credential)).Where(e => e.Data is TradesSynced).ToList();
        var items = events.Select(SyncAuditHandler.ToItem).ToList();
        items.Select(i => i.EventType).ShouldBe(["sync.trades_synced.v1", "sync.trades_synced.v1"]);
        items[0].Data.GetProperty("trades_synced").GetInt32().ShouldBe(3);
        items[0].Data.GetProperty("trades_duplicate").GetInt32().ShouldBe(2);
        items[0].Data.GetProperty("exchange_trade_ids").EnumerateArray().Select(x => x.GetString()).ShouldBe(["0", "1", "2"]);
        items[1].Data.GetProperty("trades_synced").GetInt32().ShouldBe(2);
        items[1].Data.GetProperty("exchange_trade_ids").EnumerateArray().Select(x => x.GetString()).ShouldBe(["7", "8"]);
        var run = await query.LoadAsync<TradeSyncRun>(credential);
        run!.Trades.ShouldBe(5);
        run.Duplicates.ShouldBe(3);
        run.Pages.ShouldBe(2);
    }
}
