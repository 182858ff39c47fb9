using Shouldly;
using Xunit;

namespace Bitcain.Ops.Tests;

/// <summary>
/// Each rule, given a copy of a real manifest with one deliberate drift, reports it: a rule that let these
/// through would pass on anything.
/// </summary>
public class DriftTests
{
    private static ServiceContainer K8s(string service) => Deployments.K8s(service)!;

    private static ServiceContainer With(ServiceContainer c, params EnvVar[] extra) => c with { Env = [.. c.Env, .. extra] };

    private static ServiceContainer Without(ServiceContainer c, string name) => c with { Env = c.Env.Where(e => e.Name != name).ToList() };

    [Fact]
    public void A_misspelt_or_invented_key_is_caught()
    {
        Rules.UnreadKeys(With(K8s("gateway"), new EnvVar("Gateway__ServiceTimeout", "10")), ServiceSource.Get("gateway")).ShouldNotBeEmpty();
        Rules.UnreadKeys(With(K8s("market"), new EnvVar("ConnectionStrings__redis", "x")), ServiceSource.Get("market")).ShouldNotBeEmpty();
        // A key another service reads is still foreign here: market has no Auth settings.
        Rules.UnreadKeys(With(K8s("market"), new EnvVar("Auth__Issuer", "bitcain")), ServiceSource.Get("market")).ShouldNotBeEmpty();
        // A secret fetched but never used in a $(...) expansion is a stray key.
        Rules.UnreadKeys(With(K8s("market"), new EnvVar("BITCAIN_SPARE", Secret: new SecretRef("bitcain-rabbitmq", "password"))), ServiceSource.Get("market")).ShouldNotBeEmpty();
        Rules.UnreadKeys(K8s("market") with { UsesEnvFrom = true }, ServiceSource.Get("market")).ShouldNotBeEmpty();
    }

    [Fact]
    public void A_missing_key_is_caught()
    {
        Rules.MissingKeys(Without(K8s("credentials"), "ConnectionStrings__rabbitmq"), ServiceSource.Get("credentials")).ShouldNotBeEmpty();
        Rules.MissingKeys(Without(K8s("credentials"), "ConnectionStrings__postgres"), ServiceSource.Get("credentials")).ShouldNotBeEmpty();
        Rules.MissingKeys(Without(K8s("gateway"), "Auth__SigningKey"), ServiceSource.Get("gateway")).ShouldNotBeEmpty();
        Rules.MissingKeys(Without(K8s("sync"), Rules.MasterKey), ServiceSource.Get("sync")).ShouldNotBeEmpty();
    }

    [Fact]
    public void The_master_key_reaching_the_gateway_is_caught_however_it_is_spelt()
    {
        var secret = new SecretRef("bitcain-master-key", "master-key");
        Rules.MasterKeyLeaks(With(K8s("gateway"), new EnvVar("Credentials__MasterKey", Secret: secret))).ShouldNotBeEmpty();
        Rules.MasterKeyLeaks(With(K8s("gateway"), new EnvVar("CREDENTIALS__MASTERKEY", Secret: secret))).ShouldNotBeEmpty();
        Rules.MasterKeyLeaks(With(K8s("market"), new EnvVar("SOMETHING", Secret: secret))).ShouldNotBeEmpty();
        Rules.MasterKeyLeaks(With(Deployments.FromCompose("gateway")!, new EnvVar("X", "${CREDENTIALS_MASTER_KEY:?x}"))).ShouldNotBeEmpty();
    }

    [Fact]
    public void Database_access_for_the_gateway_is_caught()
    {
        var postgres = Deployments.K8s("credentials")!.Get("ConnectionStrings__postgres")!;
        Rules.GatewayDatabaseAccess(With(K8s("gateway"), postgres)).ShouldNotBeEmpty();
        Rules.GatewayDatabaseAccess(With(K8s("gateway"), new EnvVar("P", Secret: new SecretRef("bitcain-db-credentials", "password")))).ShouldNotBeEmpty();
    }

    [Fact]
    public void A_literal_secret_is_caught()
    {
        Rules.LiteralSecrets("drift", "k8s", [new EnvVar("Auth__SigningKey", "0123456789abcdef0123456789abcdef")]).ShouldNotBeEmpty();
        Rules.LiteralSecrets("drift", "k8s", [new EnvVar("ConnectionStrings__postgres", "Host=postgres;Username=bitcain_market;Password=hunter2")]).ShouldNotBeEmpty();
        Rules.LiteralSecrets("drift", "k8s", [new EnvVar("ConnectionStrings__rabbitmq", "amqp://bitcain:hunter2@rabbitmq:5672/")]).ShouldNotBeEmpty();
        // $(VAR) only counts when VAR itself comes from a Secret.
        Rules.LiteralSecrets("drift", "k8s", [new EnvVar("P", "hunter2"), new EnvVar("ConnectionStrings__postgres", "Host=postgres;Password=$(P)")]).ShouldNotBeEmpty();
        Rules.LiteralSecrets("drift", "compose", [new EnvVar("Credentials__MasterKey", "c2VjcmV0")]).ShouldNotBeEmpty();
        Rules.LiteralSecrets("drift", "compose", [new EnvVar("ConnectionStrings__rabbitmq", "amqp://${RABBITMQ_USER:?x}:hunter2@rabbitmq:5672/")]).ShouldNotBeEmpty();
    }

    [Fact]
    public void Wrong_probes_and_ports_are_caught()
    {
        Rules.ProbeProblems(K8s("gateway") with { ReadinessPath = "/healthz" }, ImageFacts.Port).ShouldNotBeEmpty();
        Rules.ProbeProblems(K8s("gateway") with { LivenessPath = "/health" }, ImageFacts.Port).ShouldNotBeEmpty();
        Rules.ProbeProblems(K8s("gateway") with { ContainerPort = 80 }, ImageFacts.Port).ShouldNotBeEmpty();
        Rules.ProbeProblems(K8s("gateway") with { ReadinessPort = 5080 }, ImageFacts.Port).ShouldNotBeEmpty();
        Rules.ProbeProblems(Deployments.FromCompose("sync")! with { HealthcheckCommand = "true" }, ImageFacts.Port).ShouldNotBeEmpty();
    }

    [Fact]
    public void Too_few_instances_or_too_little_memory_is_caught()
    {
        Rules.ScalingProblems(K8s("market") with { Replicas = 1 }).ShouldNotBeEmpty();
        Rules.ScalingProblems(K8s("market") with { AutoscalerMinReplicas = null }).ShouldNotBeEmpty();
        // Just under the bench's figure plus headroom, whatever the README measures now.
        var tooLittle = (int)(SourceFacts.BenchWorkingSetMiB["credentials"] * Rules.MemoryHeadroom) - 1;
        Rules.ResourceProblems(K8s("credentials") with { MemoryRequestMiB = tooLittle }, SourceFacts.BenchWorkingSetMiB).ShouldNotBeEmpty();
        Rules.ResourceProblems(K8s("credentials") with { MemoryLimitMiB = null }, SourceFacts.BenchWorkingSetMiB).ShouldNotBeEmpty();
        Rules.ResourceProblems(K8s("credentials") with { CpuRequestMillis = null }, SourceFacts.BenchWorkingSetMiB).ShouldNotBeEmpty();
    }
}

/// <summary>The scan of the source finds what the services really read, and only for the services that read it.</summary>
public class SourceScanTests
{
    [Fact]
    public void The_scan_reads_keys_through_sections_options_classes_and_local_readers()
    {
        var gateway = ServiceSource.Get("gateway");
        gateway.ReadsKey("Auth__SigningKey").ShouldBeTrue();
        gateway.ReadsKey("Auth__Authority").ShouldBeTrue();
        gateway.ReadsKey("Gateway__ServiceTimeoutSeconds").ShouldBeTrue();
        gateway.ReadsKey("Gateway__CorsOrigins__0").ShouldBeTrue();
        gateway.ReadsKey("Gateway__CorsOrigins").ShouldBeFalse();
        gateway.ReadsKey("OTEL_EXPORTER_OTLP_ENDPOINT").ShouldBeTrue();
        gateway.ReadsKey("services__credentials__http__0").ShouldBeTrue();
        gateway.ReadsKey("Exchanges__binance__BaseUrl").ShouldBeFalse("the gateway never registers the exchange clients");

        var market = ServiceSource.Get("market");
        market.ReadsKey("Exchanges__binance__BaseUrl").ShouldBeTrue();
        market.ReadsKey("Exchanges__kraken__TimeoutSeconds").ShouldBeTrue();
        market.ReadsKey("Auth__SigningKey").ShouldBeFalse();
        market.CannotStartWithout.Select(k => k.Pattern).ShouldBe(["ConnectionStrings:postgres", "ConnectionStrings:rabbitmq"], ignoreOrder: true);
        gateway.CannotStartWithout.Select(k => k.Pattern).ShouldBe(["ConnectionStrings:rabbitmq"]);
    }

    [Fact]
    public void The_scan_finds_each_services_schema_and_queues()
    {
        ServiceSource.Get("credentials").Schema.ShouldBe("credentials");
        ServiceSource.Get("gateway").Schema.ShouldBeNull();
        ServiceSource.Get("credentials").ListensTo.ShouldContain("bitcain.credentials.commands");
        SourceFacts.Queues.ShouldContain("bitcain.sync.commands");
        SourceFacts.HealthPath.ShouldBe("/health");
        SourceFacts.AlivePath.ShouldBe("/alive");
        SourceFacts.BenchWorkingSetMiB["credentials"].ShouldBe(235);
    }

    [Fact]
    public void Every_required_key_is_read_by_its_service_or_awaits_documented_code()
    {
        foreach (var service in ServiceSource.All)
            foreach (var (key, _) in Rules.Required(service))
                (service.ReadsKey(key) || (Rules.AwaitingCode.TryGetValue(key, out var s) && s.Contains(service.Name)))
                    .ShouldBeTrue($"{service.Name} is required to get {key}, which its code does not read");
    }
}
