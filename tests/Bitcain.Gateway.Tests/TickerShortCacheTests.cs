using Bitcain.Contracts.Market;
using Bitcain.Gateway.Api;
using Bitcain.Gateway.Http;
using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Xunit;

namespace Bitcain.Gateway.Tests;

/// <summary>The gateway's moment of ticker caching never serves a ticker the market service would have refreshed.</summary>
public sealed class TickerShortCacheTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 3, 0, 0, TimeSpan.Zero);

    private static TickerInfo Ticker(DateTimeOffset timestamp) =>
        new("binance", "BTC/USDT", "BTCUSDT", 1m, 2m, 1.5m, null, null, null, null, null, null, null, timestamp);

    [Fact]
    public void a_fresh_ticker_is_held_one_second_after_it_came()
    {
        TickerShortCache.Until(Now, Now, TickerShortCache.DefaultHold).ShouldBe(Now + TickerShortCache.DefaultHold);
    }

    [Fact]
    public void a_ticker_already_1_5_s_old_is_held_only_until_it_is_2_s_old()
    {
        TickerShortCache.Until(Now - TimeSpan.FromSeconds(1.5), Now, TickerShortCache.DefaultHold).ShouldBe(Now + TimeSpan.FromSeconds(0.5));
    }

    [Fact]
    public void a_ticker_older_than_2_s_is_not_kept_at_all()
    {
        var clock = new FakeTimeProvider(Now);
        var cache = new TickerShortCache(clock, new GatewayOptions());
        cache.Keep("binance", "BTC/USDT", Ticker(Now - TimeSpan.FromSeconds(3)));
        cache.Find("binance", "BTC/USDT").ShouldBeNull();
    }

    [Fact]
    public void a_kept_ticker_is_served_per_exchange_and_symbol_until_it_expires()
    {
        var clock = new FakeTimeProvider(Now);
        var cache = new TickerShortCache(clock, new GatewayOptions());
        var ticker = Ticker(Now);
        cache.Keep("binance", "BTC/USDT", ticker);

        cache.Find("binance", "BTC/USDT").ShouldBeSameAs(ticker);
        cache.Find("binance", "ETH/USDT").ShouldBeNull();
        cache.Find("kraken", "BTC/USDT").ShouldBeNull();
        clock.Advance(TickerShortCache.DefaultHold);
        cache.Find("binance", "BTC/USDT").ShouldBeNull();
    }

    [Fact]
    public void a_hold_of_zero_keeps_nothing()
    {
        var cache = new TickerShortCache(new FakeTimeProvider(Now), new GatewayOptions { TickerHoldSeconds = 0 });
        cache.Keep("binance", "BTC/USDT", Ticker(Now));
        cache.Find("binance", "BTC/USDT").ShouldBeNull();
    }

    [Fact]
    public void symbols_without_end_do_not_grow_the_cache_past_its_bound()
    {
        var cache = new TickerShortCache(new FakeTimeProvider(Now), new GatewayOptions());
        for (var i = 0; i < TickerShortCache.MaxEntries * 3; i++)
            cache.Keep("binance", $"S{i}/USDT", Ticker(Now));
        cache.Count.ShouldBeLessThanOrEqualTo(TickerShortCache.MaxEntries);
    }
}
