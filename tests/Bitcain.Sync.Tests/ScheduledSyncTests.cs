using Bitcain.Contracts.Sync;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine;
using Xunit;

namespace Bitcain.Sync.Tests;

[Collection(SyncCollection.Name)]
public sealed class ScheduledSyncTests(SyncSuite sync)
{
    private static async Task<int> HistoryCountAsync(User user) =>
        (await user.GetAsync("/api/exchange/balance/history?exchange=kraken&currency=BTC&limit=1000")).Body["total_records"]!.GetValue<int>();

    [Fact]
    public async Task a_scheduled_balance_sync_runs_every_interval_until_the_credential_is_deactivated()
    {
        var user = new User(sync);
        var credential = await user.ConnectAsync(sync.Simulator.Account("kraken", "demo"));

        // What a stored credential starts when Sync:ScheduledBalanceSyncMinutes is set (off in this suite), at about 1 s.
        using (var scope = sync.Suite.Sync.Services.CreateScope())
            await scope.ServiceProvider.GetRequiredService<IMessageBus>()
                .SendAsync(new ScheduledBalanceSync(credential, "kraken", 1.0 / 60), new DeliveryOptions { TenantId = user.Id });

        var deadline = DateTime.UtcNow.AddSeconds(40);
        while (await HistoryCountAsync(user) < 3 && DateTime.UtcNow < deadline) await Task.Delay(300);
        (await HistoryCountAsync(user)).ShouldBeGreaterThanOrEqualTo(3);

        var (status, body) = await user.SendAsync(HttpMethod.Put, $"/api/exchange/credentials/{credential}", new { is_active = false });
        status.ShouldBe(200, body.ToJsonString());
        await Task.Delay(TimeSpan.FromSeconds(3)); // a run already due may still land
        var afterDeactivation = await HistoryCountAsync(user);
        await Task.Delay(TimeSpan.FromSeconds(4));
        (await HistoryCountAsync(user)).ShouldBe(afterDeactivation);
    }
}
