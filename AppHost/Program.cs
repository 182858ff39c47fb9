using Bitcain.AppHost;
using Bitcain.AppHost.Orchestration;
using Bitcain.AppHost.Security;

// `token --user alice [--hours 24]` prints a bearer token the local services accept, and nothing else.
if (args is ["token", .. var tokenArguments])
    return TokenCommand.Run(tokenArguments);

AppHostOptions options;
try
{
    options = AppHostOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine($"{e.Message}\n\n{AppHostOptions.Usage}");
    return 2;
}
if (options.ShowHelp)
{
    Console.WriteLine(AppHostOptions.Usage);
    return 0;
}

var console = new ConsoleLog();
await using var app = new LocalApplication(options, Repository.FindRoot(), console);
if (!app.ClaimDataFolder())
    return 1;
var secrets = LocalSecrets.Load(app.DataFolder);
var busKeys = BusIdentityKeys.Load(app.DataFolder);

// Infrastructure: private PostgreSQL and RabbitMQ unless ConnectionStrings__* name the user's own.
// They start while the solution builds; the services need all three.
var postgres = app.AddPostgres("postgres", database: "bitcain");
var rabbitmq = app.AddRabbitMq("rabbitmq");
var build = app.AddBuild("build", "Bitcain.sln");

// --exchanges simulated: one simulator stands in for every exchange, so nothing leaves the machine.
ServiceResource? simulator = null;
if (options.SimulatedExchanges)
{
    const string simulatorProject = "tests/Bitcain.ExchangeSimulator/Bitcain.ExchangeSimulator.csproj";
    if (!File.Exists(Path.Combine(app.RepositoryRoot, simulatorProject)))
    {
        console.Error($"--exchanges simulated needs {simulatorProject}, which this checkout does not have yet (it is written on another branch).");
        return 1;
    }
    var buildSimulator = app.AddBuild("build-simulator", simulatorProject).WaitFor(build);
    simulator = app.AddService("simulator", simulatorProject, [options.SimulatorPort], healthPath: "/__sim/accounts")
        .WithArguments("--urls", $"http://127.0.0.1:{options.SimulatorPort}")
        .WaitFor(buildSimulator);
}

// The services, in dependency order; each starts once what it references answers.
var credentials = app.AddService("credentials", "services/Credentials/Bitcain.Credentials.csproj", options.ServicePorts(1))
    .WithReference(postgres)
    .WithReference(rabbitmq)
    .WithEnvironment(LocalSecrets.MasterKeyVariable, secrets.MasterKey)
    .WaitFor(postgres)
    .WaitFor(rabbitmq)
    .WaitFor(build);

var sync = app.AddService("sync", "services/Sync/Bitcain.Sync.csproj", options.ServicePorts(2))
    .WithReference(postgres)
    .WithReference(rabbitmq)
    .WithEnvironment(LocalSecrets.MasterKeyVariable, secrets.MasterKey)
    .WaitFor(credentials);

var market = app.AddService("market", "services/Market/Bitcain.Market.csproj", options.ServicePorts(3))
    .WithReference(postgres)
    .WithReference(rabbitmq)
    .WaitFor(postgres)
    .WaitFor(rabbitmq)
    .WaitFor(build);

// The gateway never gets the master key: it holds no secrets, it forwards commands. It gets the fingerprint of the
// sealing key the credentials service derives from it, and seals for no other key whoever answers on the bus.
var gateway = app.AddService("gateway", "services/Gateway/Bitcain.Gateway.csproj", options.ServicePorts(0))
    .WithReference(postgres)
    .WithReference(rabbitmq)
    .WithEnvironment("Gateway__SealingKeyFingerprint", Bitcain.Secrets.SealingKeyPin.FingerprintForMasterKey(secrets.MasterKey))
    .WaitFor(credentials)
    .WaitFor(sync)
    .WaitFor(market);

// What every service shares: where the others are, which tokens and bus identities to trust, where the exchanges are;
// and what only it has: its own bus signing key.
ServiceResource[] services = [credentials, sync, market, gateway];
foreach (var service in services)
{
    foreach (var other in services.Where(other => other != service))
        service.WithReference(other);
    service
        .WithEnvironment(busKeys.IdentityEnvironment(service.Name))
        .WithEnvironment(busKeys.TrustEnvironment())
        .WithEnvironment(LocalSecrets.SigningKeyVariable, secrets.SigningKey)
        .WithEnvironment("Auth__Issuer", BearerTokens.Issuer)
        .WithEnvironment("Auth__Audience", BearerTokens.Audience);
    if (simulator is not null)
        service.WithSimulatedExchanges(simulator).WaitFor(simulator);
}

await app.StopLeftoversAsync();
if (!await app.EnsurePortsFreeAsync())
    return 1;

try
{
    await app.StartAsync();
    var demoToken = BearerTokens.Mint(secrets.SigningKey, BearerTokens.DemoUser, TimeSpan.FromHours(24), DateTimeOffset.UtcNow);
    if (simulator is not null)
        console.Block(await ReadyReport.RenderSimulatedAccountsAsync(simulator, app.Stopping));
    console.Block(ReadyReport.Render(app, gateway, demoToken));
    await app.WaitForStopAsync();
}
catch (AppHostFailure failure)
{
    console.Error(failure.Message + (failure.LastLines is { Length: > 0 } lines ? "\n" + Indent(lines) : ""));
    return 1;
}
catch (OperationCanceledException) when (app.StopRequested)
{
}
catch (OperationCanceledException) when (app.Crashed is not null)
{
}

if (app.Crashed is { } crashed)
{
    console.Error($"{crashed.Name} (pid {crashed.Pid}) exited unexpectedly with exit code {await crashed.Exited}. Its last lines:\n{Indent(crashed.LastLines)}");
    return 1;
}
return 0;

static string Indent(string lines) => string.Join('\n', lines.Split('\n').Select(line => "  | " + line));
