using Npgsql;
using Shouldly;
using Xunit;
using Xunit.Abstractions;

namespace Bitcain.AppHost.Tests.ScaledOut;

/// <summary>
/// Two instances of every service configured as for a cluster: quorum queues, and one shared schedule whose runs
/// happen once, not once per instance.
/// </summary>
public sealed class ClusterSettingsTests(ClusterSettingsSuite suite, ITestOutputHelper output) : IClassFixture<ClusterSettingsSuite>
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(6);

    // The queues other systems send to (README, "The message bus").
    private static readonly string[] DurableQueues =
    [
        "bitcain.credentials.commands", "bitcain.credentials.queries", "bitcain.sync.commands", "bitcain.sync.queries",
        "bitcain.market.commands", "bitcain.market.queries",
    ];

    [Fact]
    public async Task with_quorum_queues_configured_every_command_and_query_queue_is_a_quorum_queue_and_commands_still_round_trip()
    {
        var queues = (await suite.QueuesAsync("name", "type", "durable"))
            .Where(q => q.Length == 3).ToDictionary(q => q[0], q => (Type: q[1], Durable: q[2]));
        foreach (var queue in DurableQueues)
        {
            queues.ShouldContainKey(queue);
            queues[queue].Type.ShouldBe("quorum", $"{queue} is replicated over a cluster's nodes");
            queues[queue].Durable.ShouldBe("true", queue);
        }
        // Each instance's reply queue lives and dies with it (auto-delete), so it stays classic: a quorum queue cannot be auto-delete.
        var replies = (await suite.QueuesAsync("name", "type", "auto_delete")).Where(q => q.Length == 3 && q[0].StartsWith("wolverine.response.", StringComparison.Ordinal)).ToList();
        replies.Count.ShouldBeGreaterThanOrEqualTo(8, "one per instance: two each of four services");
        replies.ShouldAllBe(q => q[1] == "classic" && q[2] == "true", string.Join(", ", replies.Select(q => string.Join(" ", q))));

        // A command and a query through each gateway: into quorum queues, and the replies back.
        for (var i = 0; i < suite.Gateways.Count; i++)
        {
            var (stored, body) = await suite.SendAsync(HttpMethod.Post, $"{suite.Gateways[i]}/api/exchange/credentials", new Dictionary<string, object?>
            {
                ["exchange_name"] = "kraken", ["credential_name"] = $"quorum-{i}", ["api_key"] = $"quorum-key-{i}", ["api_secret"] = "quorum-secret",
            });
            stored.ShouldBe(201, body?.ToJsonString());
            var (read, _) = await suite.SendAsync(HttpMethod.Get, $"{suite.Gateways[i]}/api/exchange/credentials/{(string)body!["id"]!}");
            read.ShouldBe(200);
        }
        output.WriteLine(string.Join(", ", queues.Select(q => $"{q.Key}: {q.Value.Type}")));
    }

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
