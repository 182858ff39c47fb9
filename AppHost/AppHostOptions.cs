namespace Bitcain.AppHost;

/// <summary>The command line of a local run. Every port is an option so a test run (or a second
/// checkout) can sit beside a developer's own run.</summary>
public sealed record AppHostOptions
{
    public const string Usage = """
        Usage: dotnet run --project AppHost -- [options]
               dotnet run --project AppHost -- token --user <id> [--hours 24] [--data <dir>]

        Runs Bitcain on Aspire: a private PostgreSQL and RabbitMQ (data under <repo>/.bitcain), the services
        credentials, sync, market and gateway, and Aspire's dashboard; Ctrl-C stops everything it started.

          --data <dir>                     data folder (default <repo>/.bitcain)
          --port-base <n>                  gateway n, credentials n+1, sync n+2, market n+3 (default 5080);
                                           replica i of each adds 4*i (gateways n, n+4, n+8, ...)
          --replicas <n>                   instances of every service, gateways included (1-8, default 1)
          --postgres-port <n>              private PostgreSQL port (default 55432)
          --rabbitmq-port <n>              private RabbitMQ AMQP port (default 5673)
          --epmd-port <n>                  Erlang port mapper port of that node (default 4370)
          --rabbitmq-dist-port <n>         Erlang distribution port of that node (default 25673)
          --rabbitmq-management [<port>]   enable the management UI (default port 15673; off unless given)
          --exchanges simulated            run the exchange simulator and point every exchange at it
          --simulator-port <n>             the simulator's port (default 5099)
          --dashboard-port <n>             Aspire's dashboard on 127.0.0.1:n, its OTLP endpoint on n+1 (default 18888)
          --env <service>:<KEY>=<VALUE>    extra environment for one service (repeatable)
          --health-timeout <seconds>       how long a service may take to answer /health (default 90)
          --no-build                       accepted for older scripts: the services are built with the AppHost
                                           (ops/run.sh builds it) and run as built

        ConnectionStrings__postgres / ConnectionStrings__rabbitmq in the environment replace the private
        servers; Auth__SigningKey / Credentials__MasterKey replace the generated keys; OTEL_* and
        Exchanges__* pass through to every service.
        """;

    public string? DataFolder { get; init; }
    public int PortBase { get; init; } = 5080;
    public int Replicas { get; init; } = 1;
    public int PostgresPort { get; init; } = 55432;
    public int RabbitMqPort { get; init; } = 5673;
    public int EpmdPort { get; init; } = 4370;
    public int RabbitMqDistPort { get; init; } = 25673;
    public int? RabbitMqManagementPort { get; init; }
    public bool SimulatedExchanges { get; init; }
    public int SimulatorPort { get; init; } = 5099;
    public int DashboardPort { get; init; } = 18888;
    public TimeSpan HealthTimeout { get; init; } = TimeSpan.FromSeconds(90);
    public bool Build { get; init; } = true;
    public bool ShowHelp { get; init; }
    public IReadOnlyList<(string Service, string Key, string Value)> ExtraEnvironment { get; init; } = [];

    /// <summary>Eight instances of four services already fill two cores many times over.</summary>
    public const int MaxReplicas = 8;

    /// <summary>The port of replica <paramref name="replica"/> of the service at <paramref name="offset"/> from the base.</summary>
    public int ServicePort(int offset, int replica) => PortBase + offset + 4 * replica;

    public IEnumerable<int> ServicePorts(int offset) => Enumerable.Range(0, Replicas).Select(replica => ServicePort(offset, replica));

    public static AppHostOptions Parse(string[] args)
    {
        var options = new AppHostOptions();
        var extra = new List<(string, string, string)>();
        for (var i = 0; i < args.Length; i++)
        {
            var name = args[i];
            string Value() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{name} needs a value.");
            int Port() => int.TryParse(Value(), out var port) && port is > 0 and < 65536
                ? port
                : throw new ArgumentException($"{name} needs a port number (1-65535).");
            options = name switch
            {
                "--data" => options with { DataFolder = Path.GetFullPath(Value()) },
                "--port-base" => options with { PortBase = Port() },
                "--postgres-port" => options with { PostgresPort = Port() },
                "--rabbitmq-port" => options with { RabbitMqPort = Port() },
                "--epmd-port" => options with { EpmdPort = Port() },
                "--rabbitmq-dist-port" => options with { RabbitMqDistPort = Port() },
                "--rabbitmq-management" => options with
                {
                    RabbitMqManagementPort = i + 1 < args.Length && int.TryParse(args[i + 1], out _) ? Port() : 15673,
                },
                "--exchanges" => Value() is "simulated"
                    ? options with { SimulatedExchanges = true }
                    : throw new ArgumentException("--exchanges knows one value so far: simulated."),
                "--simulator-port" => options with { SimulatorPort = Port() },
                "--dashboard-port" => options with { DashboardPort = Port() },
                "--health-timeout" => options with
                {
                    HealthTimeout = int.TryParse(Value(), out var seconds) && seconds > 0
                        ? TimeSpan.FromSeconds(seconds)
                        : throw new ArgumentException("--health-timeout needs a number of seconds."),
                },
                "--env" => AddEnvironment(options, Value(), extra),
                "--no-build" => options with { Build = false },
                "--replicas" => options with
                {
                    Replicas = int.TryParse(Value(), out var replicas) && replicas is >= 1 and <= MaxReplicas
                        ? replicas
                        : throw new ArgumentException($"--replicas needs a number of instances from 1 to {MaxReplicas}."),
                },
                "-h" or "--help" => options with { ShowHelp = true },
                _ => throw new ArgumentException($"Unknown option {name}."),
            };
        }
        return options with { ExtraEnvironment = extra };
    }

    private static AppHostOptions AddEnvironment(AppHostOptions options, string value, List<(string, string, string)> extra)
    {
        var colon = value.IndexOf(':');
        var equals = value.IndexOf('=');
        if (colon <= 0 || equals < colon + 2)
            throw new ArgumentException($"--env wants <service>:<KEY>=<VALUE>, not {value}.");
        extra.Add((value[..colon], value[(colon + 1)..equals], value[(equals + 1)..]));
        return options;
    }
}
