using System.Text.Json;
using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace Bitcain.Ops.Tests;

/// <summary>One broker user's rights, as RabbitMQ matches them: each regex against a queue or exchange name.</summary>
public sealed record BrokerPermission(string User, string Configure, string Write, string Read)
{
    public bool MayRead(string resource) => Regex.IsMatch(resource, Read);

    public bool MayConfigure(string resource) => Regex.IsMatch(resource, Configure);
}

/// <summary>TLS at the edge and one broker user per service, in Kubernetes and compose alike.</summary>
public class EdgeAndBrokerTests
{
    public const string DefinitionsPath = "ops/cluster/k8s/rabbitmq/definitions.json";

    public static IReadOnlyList<BrokerPermission> Definitions(string json) =>
        JsonDocument.Parse(json).RootElement.GetProperty("permissions").EnumerateArray()
            .Select(p => new BrokerPermission(p.GetProperty("user").GetString()!, p.GetProperty("configure").GetString()!,
                p.GetProperty("write").GetString()!, p.GetProperty("read").GetString()!))
            .ToList();

    private static IReadOnlyList<BrokerPermission> Permissions => Definitions(Repository.Read(DefinitionsPath));

    /// <summary>What is wrong with the broker permissions: a service that cannot read or declare what it listens to,
    /// any Bitcain identity but the owner that may read or configure a service's queue.</summary>
    public static IEnumerable<string> BrokerPermissionProblems(IReadOnlyList<BrokerPermission> permissions)
    {
        foreach (var service in ServiceSource.All)
        {
            var own = permissions.SingleOrDefault(p => p.User == $"bitcain-{service.Name}");
            if (own is null)
            {
                yield return $"no broker user bitcain-{service.Name}";
                continue;
            }
            foreach (var queue in service.ListensTo)
            {
                if (!own.MayRead(queue) || !own.MayConfigure(queue))
                    yield return $"bitcain-{service.Name} may not consume or declare {queue}, which it listens to";
                // The administrator (".*") is for operators; every other identity is some other service or system.
                foreach (var other in permissions.Where(p => p != own && p.Read != ".*"))
                {
                    if (other.MayRead(queue))
                        yield return $"{other.User} may consume {queue}, which belongs to {service.Name}";
                }
            }
        }
        var gateway = permissions.SingleOrDefault(p => p.User == "bitcain-gateway");
        if (gateway is null) yield break;
        foreach (var queue in SourceFacts.Queues)
        {
            if (gateway.MayRead(queue)) yield return $"the gateway may consume {queue}";
            if (gateway.MayConfigure(queue)) yield return $"the gateway may configure (delete) {queue}";
        }
    }

    [Fact]
    public void The_gateway_may_neither_consume_nor_configure_a_service_queue_and_each_service_reads_only_its_own()
    {
        BrokerPermissionProblems(Permissions).ShouldBeEmpty();
        Permissions.Where(p => p.Configure == ".*" || p.Read == ".*").Select(p => p.User).ShouldBe(["@RABBITMQ_DEFAULT_USER@"]);
    }

    [Fact]
    public void A_drifted_definition_is_caught()
    {
        var drifted = Permissions.Select(p => p.User == "bitcain-gateway" ? p with { Read = "^(wolverine\\.response\\..*|bitcain\\..*)$" } : p).ToList();
        BrokerPermissionProblems(drifted).ShouldContain(problem => problem.Contains("the gateway may consume bitcain.credentials.commands"));
        BrokerPermissionProblems(Permissions.Where(p => p.User != "bitcain-market").ToList()).ShouldContain("no broker user bitcain-market");
    }

    [Fact]
    public void The_definitions_hold_no_password_only_placeholders_the_broker_pods_fill_from_their_own_secrets()
    {
        var users = JsonDocument.Parse(Repository.Read(DefinitionsPath)).RootElement.GetProperty("users").EnumerateArray().ToList();
        var placeholders = users.Select(u => u.GetProperty("password").GetString()!).ToList();
        placeholders.ShouldAllBe(p => Regex.IsMatch(p, "^@[A-Z0-9_]+@$"));

        var rabbit = Deployments.Kind("StatefulSet").Single(s => s.Map("metadata").Str("name") == "rabbitmq");
        var init = rabbit.Map("spec").Map("template").Map("spec").List("initContainers").Cast<Dictionary<string, object?>>().Single();
        var initEnv = init.List("env").Cast<Dictionary<string, object?>>().ToDictionary(e => e.Str("name")!, e => e.Map("valueFrom").Map("secretKeyRef"));
        foreach (var placeholder in placeholders.Select(p => p.Trim('@')))
            initEnv.ShouldContainKey(placeholder, $"the broker's init container does not get {placeholder}");
        foreach (var node in new[] { "rabbitmq-1", "rabbitmq-2", "rabbitmq-3" })
        {
            var environment = Deployments.Compose.Map("services").Map(node).Map("environment");
            foreach (var placeholder in placeholders.Select(p => p.Trim('@')))
                environment.ShouldContainKey(placeholder, $"compose {node} does not get {placeholder}");
        }
        foreach (var conf in new[] { "ops/cluster/k8s/rabbitmq/rabbitmq.conf", "ops/cluster/rabbitmq/rabbitmq.conf" })
            Repository.Read(conf).ShouldContain("definitions.local.path = /etc/rabbitmq/definitions/definitions.json");
    }

    [Fact]
    public void Every_service_logs_in_to_the_broker_as_its_own_user_with_a_secret_of_its_own()
    {
        var rabbit = Deployments.Kind("StatefulSet").Single(s => s.Map("metadata").Str("name") == "rabbitmq");
        var initEnv = rabbit.Map("spec").Map("template").Map("spec").List("initContainers").Cast<Dictionary<string, object?>>().Single()
            .List("env").Cast<Dictionary<string, object?>>().ToDictionary(e => e.Str("name")!, e => e.Map("valueFrom").Map("secretKeyRef").Str("name"));
        var k8sSecrets = new List<string>();
        var composeVariables = new List<string>();
        foreach (var service in Deployments.ServiceNames)
        {
            var user = $"bitcain-{service}";
            var k8s = Deployments.K8s(service)!;
            var uri = k8s.Get("ConnectionStrings__rabbitmq")!.Value!;
            var k8sPassword = Regex.Match(uri, $@"^amqp://{user}:\$\((\w+)\)@").Groups[1].Value;
            k8sPassword.ShouldNotBeEmpty($"k8s {service} connects as {uri}, not as {user}");
            var secret = k8s.Env.Single(e => e.Name == k8sPassword).Secret!.Name;
            k8sSecrets.Add(secret);
            initEnv[$"BITCAIN_MQ_{service.ToUpperInvariant()}_PASSWORD"].ShouldBe(secret, $"the broker sets {user}'s password from another secret than {service} uses");

            var composeUri = Deployments.FromCompose(service)!.Get("ConnectionStrings__rabbitmq")!.Value!;
            var variable = Regex.Match(composeUri, $@"^amqp://{user}:\$\{{(\w+)").Groups[1].Value;
            variable.ShouldNotBeEmpty($"compose {service} connects as {composeUri}, not as {user}");
            composeVariables.Add(variable);
            Deployments.Compose.Map("services").Map("rabbitmq-1").Map("environment").Str($"BITCAIN_MQ_{service.ToUpperInvariant()}_PASSWORD")
                .ShouldStartWith($"${{{variable}:");
        }
        k8sSecrets.ShouldBeUnique();
        composeVariables.ShouldBeUnique();
    }

    [Fact]
    public void Nothing_serves_the_API_in_clear_outside_the_cluster()
    {
        foreach (var service in Deployments.Kind("Service"))
            service.Map("spec").Str("type").ShouldBeOneOf([null, "ClusterIP"], $"Service {service.Map("metadata").Str("name")} is reachable from outside the cluster");
        foreach (var port in Deployments.Compose.Map("services").Map("gateway").List("ports").OfType<string>())
            port.ShouldStartWith("127.0.0.1:", Case.Sensitive, "compose publishes the gateway's plain http beyond this host");
    }

    [Fact]
    public void The_gateway_is_reached_through_an_Ingress_that_terminates_TLS_and_asks_for_HSTS()
    {
        var ingress = Deployments.Kind("Ingress").Single();
        var annotations = ingress.Map("metadata").Map("annotations");
        annotations.Str("cert-manager.io/cluster-issuer").ShouldNotBeNullOrEmpty();
        annotations.Str("nginx.ingress.kubernetes.io/force-ssl-redirect").ShouldBe("true");
        var tls = ingress.Map("spec").List("tls").Cast<Dictionary<string, object?>>().Single();
        tls.Str("secretName").ShouldNotBeNullOrEmpty();
        var rule = ingress.Map("spec").List("rules").Cast<Dictionary<string, object?>>().Single();
        tls.List("hosts").ShouldContain(rule.Str("host"));
        rule.Map("http").List("paths").Cast<Dictionary<string, object?>>().Single().Map("backend").Map("service").Str("name").ShouldBe("gateway");

        var gateway = Deployments.K8s("gateway")!;
        gateway.Get("Edge__TrustForwardedHeaders")!.Value.ShouldBe("true");
        int.Parse(gateway.Get("Edge__HstsMaxAgeSeconds")!.Value!).ShouldBeGreaterThanOrEqualTo(180 * 24 * 3600);
        Kustomize.Resources.ShouldContain("ingress.yaml");
    }
}
