using System.Diagnostics;
using Bitcain.Testing;
using Marten;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests;

/// <summary>What a caller sees when a service is down, and that a command accepted by the broker is never lost.</summary>
[Collection(SuiteCollection.Name)]
public sealed class DurabilityTests(BitcainSuite suite)
{
    [Fact]
    public async Task a_service_that_is_down_gives_a_504_with_a_clear_detail_not_a_500()
    {
        var api = Users.Client(suite.Gateway, TestTokens.For("down-" + Guid.NewGuid().ToString("N")[..8]));
        await suite.Market.StopAsync();
        await suite.Market.DisposeAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            var (status, detail) = await Users.RefusedAsync(() => api.GetSupportedExchangesAsync());
            status.ShouldBe(504);
            detail.ShouldBe($"The market service did not answer within {BitcainSuite.ServiceTimeoutSeconds} s.");
            clock.Elapsed.TotalSeconds.ShouldBeLessThan(BitcainSuite.ServiceTimeoutSeconds + 5);
        }
        finally
        {
            suite.Market = await suite.StartAsync<Bitcain.Market.Program>();
        }
        // Back up: the same request is answered again (the query that waited in the queue was answered to nobody).
        (await api.GetSupportedExchangesAsync()).Exchanges.ShouldNotBeEmpty();
    }

    [Fact]
    public async Task a_credential_command_sent_while_the_service_is_stopped_is_stored_exactly_once_when_it_starts()
    {
        var user = "durable-" + Guid.NewGuid().ToString("N")[..8];
        var api = Users.Client(suite.Gateway, TestTokens.For(user));
        await suite.Credentials.StopAsync();
        await suite.Credentials.DisposeAsync();

        var (status, detail) = await Users.RefusedAsync(() => api.StoreCredentialsAsync(Users.NewCredential(name: "Queued")));
        status.ShouldBe(504);
        detail.ShouldNotBeNull().ShouldContain("queued and will be applied");

        suite.Credentials = await suite.StartCredentialsAsync();

        var deadline = DateTime.UtcNow.AddSeconds(30);
        var count = 0;
        while (DateTime.UtcNow < deadline)
        {
            count = (await api.ListCredentialsAsync()).TotalCount;
            if (count > 0) break;
            await Task.Delay(250);
        }
        count.ShouldBe(1);

        // Give a duplicate delivery every chance to show up before counting events.
        await Task.Delay(1000);
        var store = suite.Credentials.Services.GetRequiredService<IDocumentStore>();
        await using var session = store.QuerySession(user);
        var stored = await session.Events.QueryAllRawEvents().Where(e => e.EventTypeName == "credential_stored.v1").CountAsync();
        stored.ShouldBe(1);
        (await api.ListCredentialsAsync()).TotalCount.ShouldBe(1);
    }
}
