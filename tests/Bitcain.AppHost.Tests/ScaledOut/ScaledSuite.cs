using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Bitcain.LocalServers;
using Npgsql;
using Shouldly;
using Xunit;

namespace Bitcain.AppHost.Tests.ScaledOut;

/// <summary>
/// The whole suite as a user runs it scaled out: <c>--replicas 2 --exchanges simulated</c>, every service twice
/// (gateways included) over one private PostgreSQL and RabbitMQ, driven over real HTTP.
/// </summary>
public class ScaledSuite : IAsyncLifetime
{
    private static readonly TimeSpan StartUp = TimeSpan.FromMinutes(8);

    private readonly string[] extraArguments;
    private AppHostProcess? apphost;

    public ScaledSuite() : this([])
    {
    }

    protected ScaledSuite(string[] extraArguments) => this.extraArguments = extraArguments;

    public AppHostProcess AppHost => apphost ?? throw new InvalidOperationException("not started");

    public string DataFolder { get; } = Machine.NewTempFolder("scaled");

    public int EpmdPort { get; private set; }

    public int AmqpPort { get; private set; }

    public int SimulatorPort { get; } = FreePort.Next();

    public string Token { get; private set; } = "";

    public string Postgres { get; private set; } = "";

    public IReadOnlyList<string> Gateways { get; private set; } = [];

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(100) };

    public async Task InitializeAsync()
    {
        await new SolutionBuilt().InitializeAsync();
        var ports = AppHostProcess.FreePortArguments(servicePorts: 8);
        EpmdPort = int.Parse(ports[Array.IndexOf(ports, "--epmd-port") + 1]);
        AmqpPort = int.Parse(ports[Array.IndexOf(ports, "--rabbitmq-port") + 1]);
        apphost = AppHostProcess.Start(DataFolder,
        [
            "--no-build", "--replicas", "2", "--exchanges", "simulated", "--simulator-port", SimulatorPort.ToString(),
            // The gateway's rate limit is per instance; the burst below is one user's 1,000 commands.
            "--env", "gateway:Gateway__RateLimitPermits=100000",
            // A slow answer on a busy two-core machine is not what these tests look for; a reply lost or delivered to
            // the other gateway still never arrives.
            "--env", "gateway:Gateway__ServiceTimeoutSeconds=60",
            .. ports, .. extraArguments,
        ]);
        await apphost.WaitForLineAsync(RunWatch.ReadyLine, StartUp);
        Token = apphost.PrintedToken();
        Postgres = apphost.PrintedPostgres();
        Gateways = apphost.Instances("gateway").Select(g => $"http://127.0.0.1:{g.Port}").ToList();
        Gateways.Count.ShouldBe(2, apphost.Tail());
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        if (apphost is not null)
            await apphost.DisposeAsync();
    }

    public async Task<(int Status, JsonNode? Body)> SendAsync(HttpMethod method, string url, object? body = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (body is not null)
            request.Content = new StringContent(JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? json = null;
        try
        {
            json = text.Length > 0 ? JsonNode.Parse(text) : null;
        }
        catch (JsonException)
        {
        }
        return ((int)response.StatusCode, json);
    }

    /// <summary>The simulator's seeded account on <paramref name="exchange"/>: what a user would paste in.</summary>
    public async Task<Dictionary<string, object?>> SimulatedCredentialAsync(string exchange, string name)
    {
        var accounts = JsonNode.Parse(await Http.GetStringAsync($"http://127.0.0.1:{SimulatorPort}/__sim/accounts"))!.AsArray();
        var account = accounts.First(a => (string?)a!["exchange"] == exchange && (string?)a["name"] == "demo")!;
        return new Dictionary<string, object?>
        {
            ["exchange_name"] = exchange,
            ["credential_name"] = name,
            ["api_key"] = (string?)account["api_key"],
            ["api_secret"] = (string?)account["api_secret"],
            ["api_passphrase"] = (string?)account["passphrase"],
        };
    }

    public async Task<string> TextAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(Postgres + ";Application Name=scaled-out-test");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync() as string ?? "";
    }

    public async Task<long> ScalarAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(Postgres + ";Application Name=scaled-out-test");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
            command.Parameters.AddWithValue(name, value);
        return Convert.ToInt64(await command.ExecuteScalarAsync() ?? 0L);
    }

    /// <summary>What waits in the services' durable inboxes, by owner and status, and the Wolverine nodes: why a command is not applied yet.</summary>
    public async Task<string> DescribeInboxesAsync()
    {
        var text = new StringBuilder();
        await using var connection = new NpgsqlConnection(Postgres + ";Application Name=scaled-out-test");
        await connection.OpenAsync();
        foreach (var schema in new[] { "credentials_messages", "sync_messages" })
        {
            foreach (var sql in new[]
                     {
                         $"select 'inbox ' || owner_id || ' ' || status || ' ' || count(*) from {schema}.wolverine_incoming_envelopes group by owner_id, status",
                         $"select 'nodes ' || string_agg(node_number::text, ',') from {schema}.wolverine_nodes",
                         $"select 'dead ' || message_type || ' ' || coalesce(exception_type, '') || ' ' || left(coalesce(exception_message, ''), 200) || ' x' || count(*) from {schema}.wolverine_dead_letters group by message_type, exception_type, exception_message",
                     })
            {
                try
                {
                    await using var command = new NpgsqlCommand(sql, connection);
                    await using var reader = await command.ExecuteReaderAsync();
                    while (await reader.ReadAsync())
                        text.Append(schema).Append(": ").Append(reader.GetString(0)).Append("; ");
                }
                catch (PostgresException e)
                {
                    text.Append(schema).Append(": ").Append(e.MessageText).Append("; ");
                }
            }
        }
        var queues = await RabbitMqServer.ControlAsync(Path.Combine(DataFolder, "rabbitmq"), EpmdPort, ["-q", "list_queues", "name", "messages"], TimeSpan.FromSeconds(30));
        text.Append("queues: ").Append(string.Join(" ", queues.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.EndsWith("\t0"))));
        return text.ToString();
    }

    /// <summary>Messages in Wolverine's dead-letter queue on the broker.</summary>
    public async Task<long> DeadLetteredAsync()
    {
        var queues = await QueuesAsync("name", "messages");
        return queues.Where(c => c.Length == 2 && c[0] == "wolverine-dead-letter-queue").Select(c => long.Parse(c[1])).FirstOrDefault();
    }

    /// <summary>Why each message in RabbitMQ's dead-letter queue is there: its type and the exception Wolverine wrote into
    /// its headers. Read without taking them (they go back when the channel closes), as the administrator.</summary>
    public async Task<IReadOnlyList<string>> DeadLetterReasonsAsync()
    {
        var user = Bitcain.LocalServers.BrokerUser.AdministratorName;
        var password = (await File.ReadAllTextAsync(Path.Combine(DataFolder, "rabbitmq", "passwords", user))).Trim();
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri($"amqp://{user}:{Uri.EscapeDataString(password)}@127.0.0.1:{AmqpPort}/") };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        var reasons = new List<string>();
        while (reasons.Count < 20 && await channel.BasicGetAsync("wolverine-dead-letter-queue", autoAck: false) is { } message)
        {
            // Every header but the identity assertion (a credential for that one message), each cut short.
            var headers = (message.BasicProperties.Headers ?? new Dictionary<string, object?>())
                .Where(h => h.Key.Contains("exception", StringComparison.OrdinalIgnoreCase) || h.Key is "message-type" or "tenant-id")
                .Select(h => (h.Key, Text: (h.Value is byte[] b ? System.Text.Encoding.UTF8.GetString(b) : h.Value?.ToString()) ?? ""))
                .Select(h => $"{h.Key}={h.Text[..Math.Min(300, h.Text.Length)]}");
            reasons.Add($"{message.BasicProperties.Type} [{string.Join(", ", headers)}]");
        }
        return reasons;
    }

    /// <summary>The broker's queues, one row of the asked columns each (<c>rabbitmqctl list_queues</c>).</summary>
    public async Task<IReadOnlyList<string[]>> QueuesAsync(params string[] columns)
    {
        var queues = await RabbitMqServer.ControlAsync(Path.Combine(DataFolder, "rabbitmq"), EpmdPort, ["-q", "list_queues", .. columns], TimeSpan.FromSeconds(30));
        return queues.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.Split('\t')).ToList();
    }

    /// <summary>
    /// Which instance of <paramref name="service"/> holds an advisory lock on its own connection (by its Application
    /// Name): Marten's projection daemon. Wolverine's leader locks are taken on connections it names itself.
    /// </summary>
    public async Task<string?> DaemonHolderAsync(string service)
    {
        await using var connection = new NpgsqlConnection(Postgres + ";Application Name=scaled-out-test");
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select a.application_name from pg_locks l join pg_stat_activity a on a.pid = l.pid " +
            "where l.locktype = 'advisory' and l.granted and a.application_name like @instances limit 1", connection);
        command.Parameters.AddWithValue("instances", service + "-%");
        return await command.ExecuteScalarAsync() as string;
    }
}

/// <summary>
/// Scaled out as on a cluster: every service declares its durable queues as quorum queues (what a RabbitMQ cluster
/// is configured with), and scheduled balance syncs run every 6 s, to see that two sync instances fire each run once.
/// </summary>
public sealed class ClusterSettingsSuite() : ScaledSuite(
[
    "--env", "sync:Sync__ScheduledBalanceSyncMinutes=0.1",
    .. new[] { "gateway", "credentials", "sync", "market" }.SelectMany(service => new[] { "--env", $"{service}:Messaging__QuorumQueues=true" }),
]);
