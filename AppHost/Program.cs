using System.Security.Cryptography;
using Aspire.Hosting.ApplicationModel;
using Bitcain.AppHost;
using Bitcain.AppHost.Security;
using Bitcain.LocalServers;

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

using var signals = new StopSignals();

// What only Bitcain needs before Aspire runs anything: one AppHost per data folder, the folder's keys, and the
// first-run setup of the private servers.
var dataFolder = options.DataFolder ?? Repository.DefaultDataFolder(Repository.FindRoot());
using var claim = InstanceLock.TryAcquire(dataFolder, out var refusal);
if (claim is null)
{
    Console.Error.WriteLine(refusal);
    return 1;
}
var secrets = LocalSecrets.Load(dataFolder);
var busKeys = BusIdentityKeys.Load(dataFolder);
// The services get these only as secret parameters, the gateway not the master key: none may inherit them from us.
Environment.SetEnvironmentVariable(LocalSecrets.SigningKeyVariable, null);
Environment.SetEnvironmentVariable(LocalSecrets.MasterKeyVariable, null);

var local = new LocalRun(options, dataFolder);
await local.StopLeftoversAsync();
if (!local.EnsurePortsFree())
    return 1;
PostgresServer? postgresServer;
RabbitMqServer? rabbitNode;
try
{
    (postgresServer, rabbitNode) = await local.PrepareServersAsync();
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    return 1;
}
if (signals.Requested.IsCancellationRequested)
    return 0;

var browserToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
var builder = DistributedApplication.CreateBuilder(new DistributedApplicationOptions
{
    Args = local.DashboardArguments(browserToken),
    DashboardApplicationName = "Bitcain",
});

// Infrastructure: this machine's PostgreSQL and RabbitMQ on private folders, unless ConnectionStrings__* name the
// user's own servers.
IResourceBuilder<IResourceWithConnectionString> postgres;
IResourceBuilder<IResource>? waitForPostgres = null;
if (postgresServer is null)
{
    postgres = builder.AddConnectionString("postgres");
}
else
{
    var server = builder.AddLocalPostgres("postgres", postgresServer);
    postgres = server;
    waitForPostgres = server;
}

IResourceBuilder<LocalRabbitMqResource>? rabbitmq = rabbitNode is null ? null : builder.AddLocalRabbitMq("rabbitmq", rabbitNode);
var suppliedRabbitMq = rabbitmq is null ? builder.AddConnectionString("rabbitmq") : null;
// Each service logs in to the broker as its own user, with only the rights its endpoints need.
IResourceBuilder<IResourceWithConnectionString> BrokerFor(string service) => rabbitmq?.AddBrokerLogin(service) ?? suppliedRabbitMq!;

// --exchanges simulated: one simulator stands in for every exchange, so nothing leaves the machine.
var simulator = options.SimulatedExchanges
    ? builder.AddProject<Projects.Bitcain_ExchangeSimulator>("simulator")
        .WithHttpEndpoint(port: options.SimulatorPort, name: "http", isProxied: false)
        .WithHttpHealthCheck("/__sim/accounts")
    : null;

// The services, in dependency order; each starts once what it waits for is healthy. --replicas n runs n instances of
// each, every one its own resource on its own port (see ServiceInstances).
var credentials = builder.AddService<Projects.Bitcain_Credentials>("credentials", options, offset: 1)
    .WithReference(postgres)
    .WithReference(BrokerFor("credentials"), "rabbitmq")
    .WithSecret(LocalSecrets.MasterKeyVariable, secrets.MasterKey)
    .WaitFor(waitForPostgres)
    .WaitFor(rabbitmq);

var sync = builder.AddService<Projects.Bitcain_Sync>("sync", options, offset: 2)
    .WithReference(postgres)
    .WithReference(BrokerFor("sync"), "rabbitmq")
    .WithSecret(LocalSecrets.MasterKeyVariable, secrets.MasterKey)
    .WaitFor(credentials);

var market = builder.AddService<Projects.Bitcain_Market>("market", options, offset: 3)
    .WithReference(postgres)
    .WithReference(BrokerFor("market"), "rabbitmq")
    .WaitFor(sync);

// The gateway never gets the master key or a database login: it holds no secrets and no state, it forwards commands
// and asks queries. It gets the fingerprint of the sealing key the credentials service derives from the master key,
// and seals for no other key whoever answers on the bus.
var gateway = builder.AddService<Projects.Bitcain_Gateway>("gateway", options, offset: 0)
    .WithReference(BrokerFor("gateway"), "rabbitmq")
    .WithEnvironment("Gateway__SealingKeyFingerprint", Bitcain.Secrets.SealingKeyPin.FingerprintForMasterKey(secrets.MasterKey))
    .WaitFor(market);

// What every service shares: where the others are, which tokens and bus identities to trust, where the exchanges are;
// and what only it has: its own bus signing key.
ServiceInstances[] services = [credentials, sync, market, gateway];
foreach (var service in services)
{
    foreach (var other in services.Where(other => other != service))
        service.WithReference(other);
    // Each service its own identity: a parameter per service, not one shared by name.
    foreach (var (key, value) in busKeys.IdentityEnvironment(service.Name))
        service.WithSecret(key, value, $"{service.Name}-{key.Replace("__", "-").ToLowerInvariant()}");
    service
        .WithEnvironment(busKeys.TrustEnvironment())
        .WithSecret(LocalSecrets.SigningKeyVariable, secrets.SigningKey)
        .WithEnvironment([new("Auth__Issuer", BearerTokens.Issuer), new("Auth__Audience", BearerTokens.Audience)]);
    if (simulator is not null)
        service.WithSimulatedExchanges(simulator).WaitFor(simulator);
    foreach (var (target, key, value) in options.ExtraEnvironment.Where(e => e.Service == service.Name))
        service.WithEnvironment([new(key, value)]);
}

using var app = builder.Build();
var watch = new RunWatch(app, options, dataFolder, services, postgresServer, rabbitNode, simulator?.Resource, browserToken);
var exitCode = await watch.RunAsync(signals.Requested, BearerTokens.Mint(secrets.SigningKey, BearerTokens.DemoUser, TimeSpan.FromHours(24), DateTimeOffset.UtcNow));
await local.StopWhatOutlivedTheRunAsync();
return exitCode;
