using Npgsql;
using Shouldly;
using Xunit;
using Xunit.Abstractions;

namespace Bitcain.AppHost.Tests.ScaledOut;

/// <summary>Two sync instances share one schedule: each scheduled run happens once, not once per instance.</summary>
public sealed class ScheduledSyncTests(ScheduledScaledSuite suite, ITestOutputHelper output) : IClassFixture<ScheduledScaledSuite>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(6);

    [Fact]
    public async Task a_scheduled_balance_sync_fires_once_per_interval_with_two_sync_instances()
    {
        suite.AppHost.Instances("sync").Count.ShouldBe(2);
        var (status, body) = await suite.SendAsync(HttpMethod.Post, $"{suite.Gateways[1]}/api/exchange/credentials",
            await suite.SimulatedCredentialAsync("binance", "scheduled"));
        status.ShouldBe(201, body?.ToJsonString());
        var account = Guid.Parse((string)body!["id"]!);

        var watched = TimeSpan.FromSeconds(45);
        await Task.Delay(watched);

        var runs = await RunTimesAsync(account);
        output.WriteLine($"{runs.Count} scheduled runs in {watched.TotalSeconds:0} s: {string.Join(", ", runs.Select(r => r.ToString("HH:mm:ss.fff")))}");
        var expected = watched / Interval;
        runs.Count.ShouldBeInRange(3, (int)expected + 1, "one run per interval, not one per instance");
        // Two instances firing the same run would put two syncs of the account milliseconds apart.
        var gaps = runs.Zip(runs.Skip(1), (a, b) => b - a).ToList();
        gaps.Min().ShouldBeGreaterThan(Interval * 0.6, string.Join(", ", gaps.Select(g => g.TotalSeconds.ToString("0.00"))));
    }

    private async Task<List<DateTime>> RunTimesAsync(Guid account)
    {
        await using var connection = new NpgsqlConnection(suite.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select timestamp from sync.mt_events where stream_id = @account and type in ('sync.balances_synced.v1', 'sync.sync_failed.v1') order by seq_id",
            connection);
        command.Parameters.AddWithValue("account", account);
        var times = new List<DateTime>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            times.Add(reader.GetFieldValue<DateTimeOffset>(0).UtcDateTime);
        return times;
    }
}
