using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace Bitcain.Ops.Tests;

public class DatabaseTests
{
    [Fact]
    public void Each_service_role_owns_its_schema_and_its_messages_schema_and_nothing_else()
    {
        var owners = DatabaseRoles.SchemaOwners;
        foreach (var service in ServiceSource.All.Where(s => s.Schema is not null))
        {
            var owner = owners.GetValueOrDefault(service.Schema!);
            owner.ShouldNotBeNull($"init-roles.psql creates no schema {service.Schema} for {service.Name}");
            owners.GetValueOrDefault(service.Schema + "_messages").ShouldBe(owner);
            owners.Where(o => o.Value == owner).Select(o => o.Key).ShouldBe([service.Schema!, service.Schema + "_messages"], ignoreOrder: true);
            DatabaseRoles.Roles.GetValueOrDefault(owner).ShouldBeTrue($"{owner} must be a LOGIN role");
        }
        owners.Keys.ShouldBe(ServiceSource.All.Where(s => s.Schema is not null).SelectMany(s => new[] { s.Schema!, s.Schema + "_messages" }), ignoreOrder: true);
    }

    [Fact]
    public void The_read_only_role_reads_the_service_schemas_and_never_the_message_stores()
    {
        DatabaseRoles.Roles.ShouldContainKey("bitcain_reader");
        DatabaseRoles.Roles["bitcain_reader"].ShouldBeFalse("nothing reads through it today: it gets LOGIN when a reader exists");
        var granted = DatabaseRoles.SchemasGrantedTo("bitcain_reader").Distinct().ToList();
        granted.ShouldBe(ServiceSource.All.Where(s => s.Schema is not null).Select(s => s.Schema!), ignoreOrder: true);
        Regex.IsMatch(DatabaseRoles.Sql, @"(?i)GRANT\s+(INSERT|UPDATE|DELETE|ALL)[^;]*TO\s+bitcain_reader").ShouldBeFalse();
    }

    [Fact]
    public void The_script_passes_every_variable_the_sql_uses_and_postgres_gets_every_password_from_the_services_own_secret()
    {
        DatabaseRoles.SqlVariables.ShouldBeSubsetOf(DatabaseRoles.ScriptVariables);

        var k8sPostgres = Deployments.Kind("StatefulSet").Single(s => s.Map("metadata").Str("name") == "postgres")
            .Map("spec").Map("template").Map("spec").List("containers").Cast<Dictionary<string, object?>>().Single();
        k8sPostgres.Str("image").ShouldBe("postgres:15");
        var k8sEnv = k8sPostgres.List("env").Cast<Dictionary<string, object?>>().ToDictionary(e => e.Str("name")!, e => e.Map("valueFrom").Map("secretKeyRef"));
        var composeEnv = Deployments.Compose.Map("services").Map("postgres").Map("environment");
        Deployments.Compose.Map("services").Map("postgres").Str("image").ShouldBe("postgres:15");

        foreach (var variable in DatabaseRoles.ScriptEnvironment)
        {
            // CREDENTIALS_DB_PASSWORD is the password of the credentials service's role.
            var service = variable[..variable.IndexOf("_DB_PASSWORD", StringComparison.Ordinal)].ToLowerInvariant();
            var k8sService = Deployments.K8s(service).ShouldNotBeNull();
            k8sEnv.ShouldContainKey(variable);
            k8sEnv[variable].Str("name").ShouldBe(k8sService.Env.Single(e => e.Name == "BITCAIN_DB_PASSWORD").Secret!.Name);

            composeEnv.Str(variable).ShouldNotBeNull();
            composeEnv.Str(variable)!.ShouldStartWith($"${{{variable}");
            Deployments.FromCompose(service)!.Get("ConnectionStrings__postgres")!.Value!.ShouldContain($"Password=${{{variable}");
        }
        DatabaseRoles.ScriptEnvironment.Count().ShouldBe(ServiceSource.All.Count(s => s.Schema is not null));
    }

    [Fact]
    public void Compose_and_Kubernetes_run_the_same_init_files()
    {
        var volumes = Deployments.Compose.Map("services").Map("postgres").List("volumes").OfType<string>().ToList();
        volumes.ShouldContain(v => v.StartsWith("./k8s/postgres/10-bitcain-roles.sh:/docker-entrypoint-initdb.d/", StringComparison.Ordinal));
        volumes.ShouldContain(v => v.StartsWith("./k8s/postgres/init-roles.psql:/docker-entrypoint-initdb.d/init-roles.psql", StringComparison.Ordinal));
        DatabaseRoles.Script.ShouldContain("-f /docker-entrypoint-initdb.d/init-roles.psql");
        Kustomize.GeneratedFiles("postgres-init").ShouldBe(["postgres/10-bitcain-roles.sh", "postgres/init-roles.psql"], ignoreOrder: true);
    }
}

public class RabbitMqTests
{
    private static Dictionary<string, object?> StatefulSet => Deployments.Kind("StatefulSet").Single(s => s.Map("metadata").Str("name") == "rabbitmq");

    private static Dictionary<string, string> Conf(string path) =>
        Repository.Read(path).Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim());

    [Fact]
    public void Kubernetes_runs_three_nodes_that_find_each_other_with_the_k8s_plugin_and_default_to_quorum_queues()
    {
        StatefulSet.Map("spec").Str("replicas").ShouldBe("3");
        var container = StatefulSet.Map("spec").Map("template").Map("spec").List("containers").Cast<Dictionary<string, object?>>().Single();
        Version.Parse(Regex.Match(container.Str("image")!, @"rabbitmq:(\d+\.\d+)").Groups[1].Value).ShouldBeGreaterThanOrEqualTo(new Version(4, 0),
            "default_queue_type with the classic fallback for exclusive reply queues needs RabbitMQ 4");

        var conf = Conf("ops/cluster/k8s/rabbitmq/rabbitmq.conf");
        conf["cluster_formation.peer_discovery_backend"].ShouldBe("k8s");
        conf["default_queue_type"].ShouldBe("quorum");
        Repository.Read("ops/cluster/k8s/rabbitmq/enabled_plugins").ShouldContain("rabbitmq_peer_discovery_k8s");

        var headless = StatefulSet.Map("spec").Str("serviceName")!;
        conf["cluster_formation.k8s.service_name"].ShouldBe(headless);
        var namespaceName = Deployments.Kind("Namespace").Single().Map("metadata").Str("name");
        conf["cluster_formation.k8s.hostname_suffix"].ShouldBe($".{headless}.{namespaceName}.svc.cluster.local");
        Deployments.Kind("Service").Single(s => s.Map("metadata").Str("name") == headless).Map("spec").Str("clusterIP").ShouldBe("None");

        // The plugin asks the API for the headless Service's endpoints: its service account may.
        var account = StatefulSet.Map("spec").Map("template").Map("spec").Str("serviceAccountName");
        var binding = Deployments.Kind("RoleBinding").Single(b => b.List("subjects").Cast<Dictionary<string, object?>>().Any(s => s.Str("name") == account));
        var role = Deployments.Kind("Role").Single(r => r.Map("metadata").Str("name") == binding.Map("roleRef").Str("name"));
        role.List("rules").Cast<Dictionary<string, object?>>().ShouldContain(r => r.List("resources").Contains("endpoints") && r.List("verbs").Contains("get"));

        var env = container.List("env").Cast<Dictionary<string, object?>>().ToList();
        env.Single(e => e.Str("name") == "RABBITMQ_NODENAME").Str("value").ShouldEndWith(conf["cluster_formation.k8s.hostname_suffix"]);
        Kustomize.GeneratedFiles("rabbitmq-config").ShouldBe(["rabbitmq/rabbitmq.conf", "rabbitmq/enabled_plugins", "rabbitmq/definitions.json", "rabbitmq/render-definitions.sh"], ignoreOrder: true);
    }

    [Fact]
    public void Compose_runs_three_nodes_named_in_the_classic_peer_discovery_config_behind_one_name()
    {
        var conf = Conf("ops/cluster/rabbitmq/rabbitmq.conf");
        conf["cluster_formation.peer_discovery_backend"].ShouldBe("classic_config");
        conf["default_queue_type"].ShouldBe("quorum");
        var nodes = conf.Where(kv => kv.Key.StartsWith("cluster_formation.classic_config.nodes.", StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
        nodes.Count.ShouldBe(3);

        var services = Deployments.Compose.Map("services");
        foreach (var node in nodes)
        {
            var host = node["rabbit@".Length..];
            var service = services.Map(host);
            service.Str("hostname").ShouldBe(host);
            Version.Parse(Regex.Match(service.Str("image")!, @"rabbitmq:(\d+\.\d+)").Groups[1].Value).ShouldBeGreaterThanOrEqualTo(new Version(4, 0));
            service.List("volumes").OfType<string>().ShouldContain(v => v.StartsWith("./rabbitmq/rabbitmq.conf:/etc/rabbitmq/conf.d/", StringComparison.Ordinal));
            service.Map("networks").Map("default").List("aliases").ShouldContain("rabbitmq");
        }
        foreach (var name in Deployments.ServiceNames)
            Deployments.FromCompose(name)!.Get("ConnectionStrings__rabbitmq")!.Value.ShouldEndWith("@rabbitmq:5672/");
    }

    [Fact]
    public void Infrastructure_secrets_are_references_too()
    {
        foreach (var (file, doc) in Deployments.K8sDocuments.Where(d => d.Doc.Str("kind") == "StatefulSet"))
            foreach (var c in doc.Map("spec").Map("template").Map("spec").List("containers").Cast<Dictionary<string, object?>>())
            {
                var env = c.List("env").Cast<Dictionary<string, object?>>().Select(e => new EnvVar(e.Str("name")!, e.Str("value"),
                    e.Map("valueFrom").Has("secretKeyRef") ? new SecretRef(e.Map("valueFrom").Map("secretKeyRef").Str("name")!, e.Map("valueFrom").Map("secretKeyRef").Str("key")!) : null)).ToList();
                Rules.LiteralSecrets($"{file}:{c.Str("name")}", "k8s", env).ShouldBeEmpty();
            }
        foreach (var (name, service) in Deployments.Compose.Map("services"))
        {
            var env = service.Map("environment").Select(kv => new EnvVar(kv.Key, kv.Value as string ?? "")).ToList();
            Rules.LiteralSecrets($"compose:{name}", "compose", env).ShouldBeEmpty();
        }
    }
}
