using Shouldly;
using Xunit;

namespace Bitcain.Ops.Tests;

/// <summary>Each service's container, in Kubernetes and in compose, against what the service's source reads.</summary>
public class ServiceManifestTests
{
    public static TheoryData<string, string> Containers()
    {
        var data = new TheoryData<string, string>();
        foreach (var service in Deployments.ServiceNames)
            foreach (var deployment in new[] { "k8s", "compose" })
                data.Add(deployment, service);
        return data;
    }

    private static ServiceContainer Container(string deployment, string service) =>
        (deployment == "k8s" ? Deployments.K8s(service) : Deployments.FromCompose(service))
        ?? throw new Xunit.Sdk.XunitException($"{deployment} has no container for the {service} service ({ServiceSource.Get(service).Project})");

    [Theory, MemberData(nameof(Containers))]
    public void Every_environment_key_is_one_the_service_reads(string deployment, string service) =>
        Rules.UnreadKeys(Container(deployment, service), ServiceSource.Get(service)).ShouldBeEmpty();

    [Theory, MemberData(nameof(Containers))]
    public void Every_key_the_service_needs_is_set(string deployment, string service) =>
        Rules.MissingKeys(Container(deployment, service), ServiceSource.Get(service)).ShouldBeEmpty();

    [Theory, MemberData(nameof(Containers))]
    public void Only_credentials_and_sync_get_the_master_key(string deployment, string service) =>
        Rules.MasterKeyLeaks(Container(deployment, service)).ShouldBeEmpty();

    [Theory, MemberData(nameof(Containers))]
    public void The_gateway_gets_no_database_access(string deployment, string service) =>
        Rules.GatewayDatabaseAccess(Container(deployment, service)).ShouldBeEmpty();

    [Theory, MemberData(nameof(Containers))]
    public void Secrets_are_references_never_values(string deployment, string service)
    {
        var c = Container(deployment, service);
        Rules.LiteralSecrets(c.ToString(), deployment, c.Env).ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(Containers))]
    public void Probes_ask_the_paths_the_services_map_on_the_port_they_listen_on(string deployment, string service) =>
        Rules.ProbeProblems(Container(deployment, service), ImageFacts.Port).ShouldBeEmpty();

    [Theory, MemberData(nameof(Containers))]
    public void Kubernetes_runs_at_least_two_instances_with_memory_sized_from_the_bench(string deployment, string service)
    {
        var c = Container(deployment, service);
        Rules.ScalingProblems(c).ShouldBeEmpty();
        Rules.ResourceProblems(c, SourceFacts.BenchWorkingSetMiB).ShouldBeEmpty();
    }

    [Theory, MemberData(nameof(Containers))]
    public void The_database_user_is_the_role_that_owns_the_services_schemas(string deployment, string service)
    {
        var source = ServiceSource.Get(service);
        var connection = Container(deployment, service).Get("ConnectionStrings__postgres")?.Value;
        if (source.Schema is null)
        {
            connection.ShouldBeNull($"{service} keeps no events, so it gets no database");
            return;
        }
        connection.ShouldNotBeNull();
        var user = System.Text.RegularExpressions.Regex.Match(connection, @"(?i)(?:username|user id|user)=([^;]+)").Groups[1].Value;
        DatabaseRoles.SchemaOwners.GetValueOrDefault(source.Schema).ShouldBe(user, $"{service} migrates schema {source.Schema} at startup, so it must log in as its owner");
        DatabaseRoles.SchemaOwners.GetValueOrDefault(source.Schema + "_messages").ShouldBe(user, $"Wolverine keeps {service}'s inbox/outbox in {source.Schema}_messages");
    }

    [Fact]
    public void Every_service_of_the_source_has_a_deployment_a_service_and_an_image_build()
    {
        Deployments.ServiceNames.ShouldBe(["credentials", "gateway", "market", "sync"], ignoreOrder: true);
        foreach (var service in ServiceSource.All)
        {
            Deployments.Kind("Service").ShouldContain(s => s.Map("metadata").Str("name") == service.Name, $"a Service for {service.Name}");
            var build = Deployments.FromCompose(service.Name)!.BuildService;
            build.ShouldNotBeNull();
            $"services/{build}/Bitcain.{build}.csproj".ShouldBe(service.Project, $"compose builds {service.Name} from its project");
        }
    }

    [Fact]
    public void Kubernetes_Services_send_traffic_to_the_named_container_port()
    {
        foreach (var name in Deployments.ServiceNames)
        {
            var service = Deployments.Kind("Service").Single(s => s.Map("metadata").Str("name") == name);
            var port = service.Map("spec").List("ports").Cast<Dictionary<string, object?>>().Single();
            port.Str("targetPort").ShouldBe("http");
            Deployments.K8s(name)!.ContainerPort.ShouldBe(ImageFacts.Port);
            service.Map("spec").Map("selector").Str("app.kubernetes.io/name").ShouldBe(name);
        }
    }
}
