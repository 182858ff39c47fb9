using System.Text.Json.Nodes;
using Bitcain.Exchanges;
using Bitcain.Sync.Account;
using Bitcain.Sync.SyncingTrades;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shouldly;
using Xunit;

namespace Bitcain.Sync.Tests;

/// <summary>How a page is stored and how the stored trades are read back, against the sync service's own table.</summary>
[Collection(SyncCollection.Name)]
public sealed class TradeStorageTests(SyncSuite sync)
{
    private static List<Trade> Page(int count, DateTimeOffset newest) =>
        Enumerable.Range(0, count).Select(i => new Trade((1_000_000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), "o" + i,
            "BTC/USDT", "BTCUSDT", i % 3 == 0 ? TradeSide.Sell : TradeSide.Buy, 30_000m + i, 0.01m, (30_000m + i) * 0.01m, i % 5 == 0 ? null : 0.0001m,
            i % 5 == 0 ? null : "BNB", newest.AddSeconds(-(i / 2)), null)).ToList();

    [Fact]
    public async Task the_same_page_stored_by_two_syncs_at_once_is_stored_once_and_each_event_records_what_its_sync_stored()
    {
        var services = sync.Suite.Sync.Services;
        var store = services.GetRequiredService<IDocumentStore>();
        var table = services.GetRequiredService<TradeTable>();
        await table.EnsureCreatedAsync(default);
        var user = "user-" + Guid.NewGuid().ToString("N")[..12];
        var account = new OpenedAccount(Guid.NewGuid(), "binance", new ExchangeApiCredentials("key-not-used", "secret-not-used", null));
        var page = Page(800, DateTimeOffset.UtcNow.AddDays(-1));

        var results = await Task.WhenAll(Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            TradePages.StoreAsync(store, table, user, account, "BTC/USDT", page, null, DateTimeOffset.UtcNow, default))));

        results.Sum(r => r.Stored).ShouldBe(page.Count);
        results.Sum(r => r.Duplicates).ShouldBe(page.Count);
        (await sync.StoredTradeKeysAsync(user)).SetEquals(page.Select(t => "BTCUSDT:" + t.Id)).ShouldBeTrue();

        await using var session = store.QuerySession(user);
        var events = (await session.Events.FetchStreamAsync(account.CredentialId)).Select(e => e.Data).OfType<TradesSynced>().ToList();
        events.Count.ShouldBe(2);
        var recorded = events.SelectMany(e => e.StoredTradeIds()).ToList();
        recorded.Count.ShouldBe(page.Count, "each trade is in the event of the one sync that stored it");
        recorded.ToHashSet().SetEquals(page.Select(t => t.Id)).ShouldBeTrue();
        events.Select(e => (e.StoredCount(), e.Duplicates)).ShouldBe(results.Select(r => (r.Stored, r.Duplicates)), ignoreOrder: true);
    }

    [Fact]
    public async Task offset_pages_walk_the_same_newest_first_order_as_one_page_with_ties_on_the_timestamp_broken_by_trade_id()
    {
        var services = sync.Suite.Sync.Services;
        var store = services.GetRequiredService<IDocumentStore>();
        var table = services.GetRequiredService<TradeTable>();
        await table.EnsureCreatedAsync(default);
        var user = new User(sync);
        var account = new OpenedAccount(Guid.NewGuid(), "binance", new ExchangeApiCredentials("key-not-used", "secret-not-used", null));
        // Two trades a second: every timestamp is shared, so only the trade id orders them.
        var page = Page(301, DateTimeOffset.UtcNow.AddDays(-2));
        await TradePages.StoreAsync(store, table, user.Id, account, "BTC/USDT", page, null, DateTimeOffset.UtcNow, default);

        var (status, whole) = await user.GetAsync("/api/exchange/trades?exchange=binance&limit=1000");
        status.ShouldBe(200);
        var expected = page.OrderByDescending(t => t.Timestamp).ThenByDescending(t => t.Id, StringComparer.Ordinal).Select(t => t.Id).ToList();
        Ids(whole).ShouldBe(expected);
        whole["total_records"]!.GetValue<long>().ShouldBe(page.Count);

        var walked = new List<string>();
        for (var offset = 0; ; offset += 7)
        {
            var (_, body) = await user.GetAsync($"/api/exchange/trades?exchange=binance&symbol=BTCUSDT&limit=7&offset={offset}");
            body["total_records"]!.GetValue<long>().ShouldBe(page.Count);
            walked.AddRange(Ids(body));
            if (!body["has_more"]!.GetValue<bool>()) break;
        }
        walked.ShouldBe(expected);

        // Past the end: no trades, the total still said.
        var (_, beyond) = await user.GetAsync("/api/exchange/trades?exchange=binance&limit=10&offset=5000");
        Ids(beyond).ShouldBeEmpty();
        beyond["total_records"]!.GetValue<long>().ShouldBe(page.Count);
    }

    [Fact]
    public async Task the_trade_table_has_its_key_and_one_covering_index_and_the_list_and_stats_read_that_index_alone()
    {
        var table = sync.Suite.Sync.Services.GetRequiredService<TradeTable>();
        await table.EnsureCreatedAsync(default);
        await using var conn = new NpgsqlConnection(sync.Suite.Infrastructure.Postgres);
        await conn.OpenAsync();
        await using (var cmd = new NpgsqlCommand("SELECT indexname FROM pg_indexes WHERE schemaname = 'sync' AND tablename = 'trades' ORDER BY indexname", conn))
        {
            var names = new List<string>();
            await using var r = await cmd.ExecuteReaderAsync();
            while (await r.ReadAsync()) names.Add(r.GetString(0));
            names.ShouldBe(["trades_by_time", "trades_pkey"]);
        }
        // With sequential scans priced out, the planner must still answer from the index alone: it carries every column.
        await using var tx = await conn.BeginTransactionAsync();
        await using (var off = new NpgsqlCommand("SET LOCAL enable_seqscan = off; SET LOCAL enable_bitmapscan = off", conn, tx)) await off.ExecuteNonQueryAsync();
        foreach (var sql in new[]
                 {
                     "SELECT count(*), sum(cost), sum(fee), count(*) FILTER (WHERE side = 'buy'), count(*) FILTER (WHERE sync_status = 'failed'), min(trade_timestamp) FROM sync.trades WHERE tenant_id = 'u' AND exchange = 'binance'",
                     "SELECT credential_id, exchange_symbol, exchange_trade_id FROM sync.trades WHERE tenant_id = 'u' AND exchange = 'binance' AND replace(symbol, '/', '') = 'BTCUSDT' ORDER BY trade_timestamp DESC, exchange_trade_id DESC LIMIT 100 OFFSET 1000",
                 })
        {
            await using var explain = new NpgsqlCommand("EXPLAIN " + sql, conn, tx);
            var plan = new List<string>();
            await using var r = await explain.ExecuteReaderAsync();
            while (await r.ReadAsync()) plan.Add(r.GetString(0));
            string.Join('\n', plan).ShouldContain("Index Only Scan using trades_by_time", customMessage: string.Join('\n', plan));
        }
    }

    private static List<string> Ids(JsonNode body) => body["trades"]!.AsArray().Select(t => (string)t!["exchange_trade_id"]!).ToList();
}
