using System.Text.RegularExpressions;
using Shouldly;
using Xunit;

namespace Bitcain.Ops.Tests;

public class SecretStoreTests
{
    private const string ExamplePath = "ops/cluster/k8s/secrets.example.yaml";

    private static IEnumerable<Dictionary<string, object?>> ExampleSecrets =>
        Deployments.K8sDocuments.Where(d => d.File == ExamplePath).Select(d => d.Doc);

    private static IEnumerable<(string Where, string Name, string Key)> SecretKeyRefs()
    {
        foreach (var (file, doc) in Deployments.K8sDocuments.Where(d => d.File != ExamplePath))
            foreach (var refNode in Descendants(doc).OfType<Dictionary<string, object?>>().Where(m => m.Has("secretKeyRef")))
                yield return (file, refNode.Map("secretKeyRef").Str("name")!, refNode.Map("secretKeyRef").Str("key")!);
    }

    private static IEnumerable<object?> Descendants(object? node) => node switch
    {
        Dictionary<string, object?> map => new[] { node }.Concat(map.Values.SelectMany(Descendants)),
        List<object?> list => list.SelectMany(Descendants),
        _ => [node],
    };

    [Fact]
    public void Every_secretKeyRef_names_a_Secret_and_key_described_in_the_example_with_placeholders_only()
    {
        var described = ExampleSecrets.SelectMany(s => s.Map("stringData").Keys.Select(k => (s.Map("metadata").Str("name")!, k))).ToHashSet();
        var refs = SecretKeyRefs().ToList();
        refs.ShouldNotBeEmpty();
        foreach (var (where, name, key) in refs)
            described.ShouldContain((name, key), $"{where} references Secret {name} key {key}, which secrets.example.yaml does not describe");

        foreach (var secret in ExampleSecrets)
        {
            secret.Has("data").ShouldBeFalse("an example carries no encoded values");
            foreach (var (key, value) in secret.Map("stringData"))
                (value as string).ShouldStartWith("<placeholder", Case.Sensitive, $"{secret.Map("metadata").Str("name")}.{key} must be a placeholder");
        }
        // Every described secret is used: an unused one would be a key the platform stores for nothing.
        described.ShouldBe(refs.Select(r => (r.Name, r.Key)).ToHashSet(), ignoreOrder: true);
    }

    [Fact]
    public void The_example_is_not_applied_and_no_manifest_carries_a_Secret()
    {
        Kustomize.Resources.ShouldNotContain("secrets.example.yaml");
        Deployments.Kind("Secret").ShouldBeEmpty();
    }

    [Fact]
    public void Compose_takes_every_variable_from_the_uncommitted_env_file_described_by_the_example()
    {
        var compose = Repository.Read(Deployments.ComposeFile);
        var withoutComments = Regex.Replace(compose, @"(?m)^\s*#.*$", "");
        var used = Regex.Matches(withoutComments, @"\$\{([A-Z0-9_]+)").Select(m => m.Groups[1].Value).Distinct().ToList();
        var example = Repository.Read("ops/cluster/compose.env.example").Split('\n').Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#')).Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        used.ShouldBeSubsetOf(example.Keys);
        foreach (var (name, value) in example.Where(kv => Regex.IsMatch(kv.Key, "PASSWORD|KEY|COOKIE") && !kv.Key.StartsWith("OTEL_", StringComparison.Ordinal)))
            value.ShouldStartWith("<replace", Case.Sensitive, $"{name} in compose.env.example must be a placeholder");
        Repository.Read("ops/cluster/.gitignore").Split('\n').ShouldContain("compose.env");
        foreach (var (name, service) in Deployments.Compose.Map("services"))
            service.Has("env_file").ShouldBeFalse($"{name}: an env_file would hand every secret to every service");
    }
}

public class FilesTests
{
    [Fact]
    public void Kustomize_applies_every_manifest_and_generates_every_ConfigMap_a_pod_mounts()
    {
        var folder = Repository.Path(Deployments.K8sFolder);
        var manifests = Directory.GetFiles(folder, "*.yaml", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/'))
            .Where(f => f is not "kustomization.yaml" && !f.EndsWith(".example.yaml", StringComparison.Ordinal));
        Kustomize.Resources.ShouldBe(manifests, ignoreOrder: true);
        foreach (var file in Kustomize.File.List("configMapGenerator").Cast<Dictionary<string, object?>>().SelectMany(g => g.List("files").OfType<string>()))
            File.Exists(Path.Combine(folder, file)).ShouldBeTrue(file);

        var mounted = Deployments.K8sDocuments.SelectMany(d => d.Doc.Map("spec").Map("template").Map("spec").List("volumes").Cast<Dictionary<string, object?>>())
            .Where(v => v.Has("configMap")).Select(v => v.Map("configMap").Str("name")!).ToList();
        mounted.ShouldNotBeEmpty();
        mounted.ShouldBeSubsetOf(Kustomize.ConfigMapNames);
        var referenced = Deployments.All.Where(c => c.Deployment == "k8s").SelectMany(c => c.Env).Select(e => e.ConfigMap).OfType<string>();
        referenced.ShouldBeSubsetOf(Kustomize.ConfigMapNames);
    }

    [Fact]
    public void Everything_lives_in_the_one_namespace()
    {
        var name = Deployments.Kind("Namespace").Single().Map("metadata").Str("name");
        Kustomize.File.Str("namespace").ShouldBe(name);
        foreach (var (file, doc) in Deployments.K8sDocuments.Where(d => d.Doc.Str("kind") is not ("Namespace" or "Kustomization")))
            doc.Map("metadata").Str("namespace").ShouldBe(name, $"{file}: {doc.Str("kind")} {doc.Map("metadata").Str("name")}");
    }

    [Fact]
    public void The_image_builds_with_the_NET_10_SDK_and_runs_on_the_ASP_NET_10_runtime_as_a_non_root_user()
    {
        var stages = ImageFacts.Stages;
        stages.Count.ShouldBe(2);
        stages[0].ShouldStartWith("FROM mcr.microsoft.com/dotnet/sdk:10.0");
        stages[1].ShouldStartWith("FROM mcr.microsoft.com/dotnet/aspnet:10.0");
        stages[0].ShouldContain("dotnet publish \"services/${SERVICE}/Bitcain.${SERVICE}.csproj\"");
        var user = Regex.Matches(stages[1], @"(?m)^USER\s+(\S+)").Select(m => m.Groups[1].Value).LastOrDefault();
        user.ShouldNotBeNull("the runtime stage must switch to a non-root user");
        user.ShouldNotBeOneOf("root", "0", "0:0");
        stages[1].ShouldContain("ENV ASPNETCORE_URLS=http://+:8080");
        stages[1].ShouldContain($"EXPOSE {ImageFacts.Port}");
        ImageFacts.Port.ShouldBe(8080);
    }

    [Fact]
    public void The_cluster_README_names_every_queue_with_the_service_that_consumes_it_and_the_quorum_setting()
    {
        var readme = Repository.Read("ops/cluster/README.md");
        SourceFacts.Queues.ShouldNotBeEmpty();
        foreach (var queue in SourceFacts.Queues)
        {
            var row = readme.Split('\n').FirstOrDefault(l => l.StartsWith('|') && l.Contains($"`{queue}`", StringComparison.Ordinal));
            row.ShouldNotBeNull($"ops/cluster/README.md does not list {queue}");
            foreach (var service in ServiceSource.All.Where(s => s.ListensTo.Contains(queue)))
                row.ShouldContain(service.Name, Case.Sensitive, $"{service.Name} consumes {queue}");
        }
        readme.ShouldContain("default_queue_type = quorum");
    }

    [Fact]
    public void Settings_awaiting_code_are_documented_in_the_README_configuration_table()
    {
        foreach (var (key, services) in Rules.AwaitingCode)
        {
            var row = SourceFacts.ReadmeConfigurationTable.Split('\n').Single(l => l.Contains($"`{key}`", StringComparison.Ordinal));
            foreach (var service in services) row.ShouldContain(service);
        }
    }
}
