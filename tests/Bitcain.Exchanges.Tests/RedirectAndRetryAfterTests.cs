using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Bitcain.ExchangeSimulator;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Shouldly;

namespace Bitcain.Exchanges.Tests;

public class RedirectAndRetryAfterTests
{
    public static TheoryData<string> Exchanges => new(ExchangeServiceCollectionExtensions.ImplementedExchanges);

    /// <summary>Keys each client accepts before sending (Kraken's secret is base64, Coinbase's an EC key, OKX and KuCoin need a passphrase).</summary>
    private static ExchangeApiCredentials KeyFor(string exchange) => exchange switch
    {
        "kraken" => TestClients.Kraken,
        "coinbase" => new(SeededKeys.CoinbaseDemoKey, SeededKeys.CoinbaseDemoSecret),
        _ => new("redirect-test-api-key-0123456789", "redirect-test-secret-0123456789", "redirect-test-passphrase"),
    };

    /// <summary>
    /// Over real HTTP with the handler the DI registration builds: the exchange answers 302 to a second endpoint. The
    /// client must report the redirect and never call the second endpoint (it would carry the API key headers there).
    /// </summary>
    [Theory]
    [MemberData(nameof(Exchanges))]
    public async Task a_redirect_is_an_error_and_its_target_is_never_called(string exchange)
    {
        var elsewhere = new ConcurrentQueue<string>();
        await using var app = await StartAsync(async context =>
        {
            if (context.Request.Path.StartsWithSegments("/elsewhere"))
            {
                elsewhere.Enqueue(string.Join(",", context.Request.Headers.Keys));
                await context.Response.WriteAsync("{}");
                return;
            }
            context.Response.StatusCode = StatusCodes.Status302Found;
            context.Response.Headers.Location = $"{context.Request.Scheme}://{context.Request.Host}/elsewhere{context.Request.Path}";
        });
        var baseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/" + exchange;
        var services = new ServiceCollection()
            .AddBitcainExchanges(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [$"Exchanges:{exchange}:BaseUrl"] = baseUrl }).Build())
            .BuildServiceProvider();
        var client = services.GetRequiredService<IExchangeClients>().Get(exchange);

        var e = await Should.ThrowAsync<ExchangeException>(() => client.GetBalancesAsync(KeyFor(exchange)));

        (e.Exchange, e.ErrorType, e.HttpStatus).ShouldBe((exchange, ExchangeErrorType.ExchangeError, 302));
        e.Message.ShouldContain("redirected; not followed");
        e.Message.ShouldNotContain("elsewhere");
        elsewhere.ShouldBeEmpty();
    }

    public static TheoryData<string, bool> ExchangesAndRetryAfterForms()
    {
        var data = new TheoryData<string, bool>();
        foreach (var exchange in ExchangeServiceCollectionExtensions.ImplementedExchanges)
        {
            data.Add(exchange, false);
            data.Add(exchange, true);
        }
        return data;
    }

    /// <summary>A 429 asking for longer than MaxRetryAfterSeconds fails at once, with the exchange's own wait, in either form.</summary>
    [Theory]
    [MemberData(nameof(ExchangesAndRetryAfterForms))]
    public async Task a_retry_after_longer_than_the_caller_can_wait_fails_fast_with_the_exchanges_wait(string exchange, bool asHttpDate)
    {
        var now = new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.Zero);
        var time = new FakeTimeProvider(now);
        var wait = TimeSpan.FromSeconds(137);
        var retryAfter = asHttpDate ? (now + wait).ToString("r", CultureInfo.InvariantCulture) : "137";
        var stub = new StubExchange(_ => StubExchange.Json("{}", HttpStatusCode.TooManyRequests, ("Retry-After", retryAfter)));
        var client = TestClients.Client(stub, exchange, time, new Dictionary<string, string?> { [$"Exchanges:{exchange}:MaxRetryAfterSeconds"] = "10" });

        var e = await Should.ThrowAsync<ExchangeException>(() => client.GetBalancesAsync(KeyFor(exchange)));

        (e.Exchange, e.ErrorType, e.RetryAfter).ShouldBe((exchange, ExchangeErrorType.RateLimited, wait));
        e.Message.ShouldContain("137s");
        stub.Requests.Count.ShouldBe(1);
    }

    [Fact]
    public async Task a_retry_after_within_what_the_caller_can_wait_is_waited_out_and_tried_once_more()
    {
        var calls = 0;
        var stub = new StubExchange(_ => Interlocked.Increment(ref calls) == 1
            ? StubExchange.Json("{}", HttpStatusCode.TooManyRequests, ("Retry-After", "0"))
            : StubExchange.Json("""{"serverTime":1499827319559}"""));
        (await TestClients.Client(stub, "binance").GetServerTimeAsync()).ShouldBe(DateTimeOffset.FromUnixTimeMilliseconds(1499827319559));
        calls.ShouldBe(2);
    }

    private static async Task<WebApplication> StartAsync(RequestDelegate handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handle);
        await app.StartAsync();
        return app;
    }
}
