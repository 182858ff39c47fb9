using System.Globalization;
using System.Text.RegularExpressions;

namespace Bitcain.Ops.Tests;

public sealed record SecretRef(string Name, string Key);

/// <summary>One environment variable of a container: a literal, or a reference to a Secret or ConfigMap key.</summary>
public sealed record EnvVar(string Name, string? Value = null, SecretRef? Secret = null, string? ConfigMap = null);

/// <summary>What one Bitcain service gets in one deployment (Kubernetes or compose), in a shape both share.</summary>
public sealed record ServiceContainer
{
    public required string Deployment { get; init; }   // "k8s" or "compose"
    public required string Service { get; init; }
    public required IReadOnlyList<EnvVar> Env { get; init; }
    public bool UsesEnvFrom { get; init; }
    public string? ReadinessPath { get; init; }
    public int? ReadinessPort { get; init; }
    public string? LivenessPath { get; init; }
    public int? LivenessPort { get; init; }
    public int? ContainerPort { get; init; }
    public int? Replicas { get; init; }
    public int? AutoscalerMinReplicas { get; init; }
    public double? MemoryRequestMiB { get; init; }
    public double? MemoryLimitMiB { get; init; }
    public double? CpuRequestMillis { get; init; }
    /// <summary>compose: the healthcheck's command line, joined.</summary>
    public string? HealthcheckCommand { get; init; }
    /// <summary>compose: the SERVICE build argument (a folder under services/).</summary>
    public string? BuildService { get; init; }

    public EnvVar? Get(string name) => Env.FirstOrDefault(e => ConfigKey.FromEnvironment(e.Name).Equals(ConfigKey.FromEnvironment(name), StringComparison.OrdinalIgnoreCase));

    public override string ToString() => $"{Deployment}:{Service}";
}

public static class Deployments
{
    public const string K8sFolder = "ops/cluster/k8s";
    public const string ComposeFile = "ops/cluster/compose.yaml";

    public static IReadOnlyList<string> ServiceNames => ServiceSource.All.Select(s => s.Name).ToList();

    /// <summary>Every YAML file under k8s/, each document with the file it came from.</summary>
    public static IReadOnlyList<(string File, Dictionary<string, object?> Doc)> K8sDocuments { get; } =
        Directory.GetFiles(Repository.Path(K8sFolder), "*.yaml", SearchOption.AllDirectories).Order()
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .SelectMany(f => Yaml.LoadAll(f).Select(d => (f, d)))
            .ToList();

    public static Dictionary<string, object?> Compose { get; } = Yaml.LoadAll(ComposeFile).Single();

    public static IEnumerable<Dictionary<string, object?>> Kind(string kind, bool includeExamples = false) =>
        K8sDocuments.Where(d => d.Doc.Str("kind") == kind && (includeExamples || !d.File.EndsWith(".example.yaml", StringComparison.Ordinal))).Select(d => d.Doc);

    public static IReadOnlyList<ServiceContainer> All { get; } = ServiceNames.SelectMany(n => new[] { K8s(n), FromCompose(n) }).OfType<ServiceContainer>().ToList();

    public static ServiceContainer? K8s(string service)
    {
        var deployment = Kind("Deployment").FirstOrDefault(d => d.Map("metadata").Str("name") == service);
        if (deployment is null) return null;
        var container = deployment.Map("spec").Map("template").Map("spec").List("containers").Cast<Dictionary<string, object?>>()
            .Single(c => c.Str("name") == service);
        var ports = container.List("ports").Cast<Dictionary<string, object?>>().ToList();
        int? Port(object? port) => port switch
        {
            string s when int.TryParse(s, out var n) => n,
            string name => ports.Where(p => p.Str("name") == name).Select(p => (int?)int.Parse(p.Str("containerPort")!)).FirstOrDefault(),
            _ => null,
        };
        var hpa = Kind("HorizontalPodAutoscaler").FirstOrDefault(h => h.Map("spec").Map("scaleTargetRef").Str("kind") == "Deployment"
                                                                      && h.Map("spec").Map("scaleTargetRef").Str("name") == service);
        var resources = container.Map("resources");
        return new ServiceContainer
        {
            Deployment = "k8s",
            Service = service,
            Env = container.List("env").Cast<Dictionary<string, object?>>().Select(e => new EnvVar(
                e.Str("name")!,
                e.Str("value"),
                e.Map("valueFrom").Has("secretKeyRef") ? new SecretRef(e.Map("valueFrom").Map("secretKeyRef").Str("name")!, e.Map("valueFrom").Map("secretKeyRef").Str("key")!) : null,
                e.Map("valueFrom").Has("configMapKeyRef") ? e.Map("valueFrom").Map("configMapKeyRef").Str("name") : null)).ToList(),
            UsesEnvFrom = container.Has("envFrom"),
            ReadinessPath = container.Map("readinessProbe").Map("httpGet").Str("path"),
            ReadinessPort = Port(container.Map("readinessProbe").Map("httpGet").GetValueOrDefault("port")),
            LivenessPath = container.Map("livenessProbe").Map("httpGet").Str("path"),
            LivenessPort = Port(container.Map("livenessProbe").Map("httpGet").GetValueOrDefault("port")),
            ContainerPort = ports.Count == 1 ? int.Parse(ports[0].Str("containerPort")!) : null,
            Replicas = int.TryParse(deployment.Map("spec").Str("replicas"), out var r) ? r : null,
            AutoscalerMinReplicas = hpa is null ? null : int.TryParse(hpa.Map("spec").Str("minReplicas"), out var m) ? m : 1,
            MemoryRequestMiB = MiB(resources.Map("requests").Str("memory")),
            MemoryLimitMiB = MiB(resources.Map("limits").Str("memory")),
            CpuRequestMillis = Millicores(resources.Map("requests").Str("cpu")),
        };
    }

    public static ServiceContainer? FromCompose(string service)
    {
        var node = Compose.Map("services").Map(service);
        if (node.Count == 0) return null;
        var environment = node.GetValueOrDefault("environment") switch
        {
            Dictionary<string, object?> map => map.Select(kv => new EnvVar(kv.Key, kv.Value as string ?? "")).ToList(),
            List<object?> list => list.OfType<string>().Select(s => s.Split('=', 2)).Select(p => new EnvVar(p[0], p.Length > 1 ? p[1] : "")).ToList(),
            _ => [],
        };
        var health = node.Map("healthcheck").GetValueOrDefault("test") switch
        {
            List<object?> parts => string.Join(" ", parts.OfType<string>()),
            string s => s,
            _ => null,
        };
        return new ServiceContainer
        {
            Deployment = "compose",
            Service = service,
            Env = environment,
            UsesEnvFrom = node.Has("env_file"),
            HealthcheckCommand = health,
            BuildService = node.Map("build").Map("args").Str("SERVICE"),
        };
    }

    public static double? MiB(string? quantity)
    {
        if (quantity is null) return null;
        var m = Regex.Match(quantity, @"^(\d+(?:\.\d+)?)(Ki|Mi|Gi|K|M|G)?$");
        if (!m.Success) throw new FormatException($"memory quantity {quantity}");
        var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        return m.Groups[2].Value switch
        {
            "Ki" => n / 1024, "Mi" => n, "Gi" => n * 1024,
            "K" => n * 1000 / 1048576, "M" => n * 1e6 / 1048576, "G" => n * 1e9 / 1048576,
            _ => n / 1048576,
        };
    }

    public static double? Millicores(string? quantity) => quantity switch
    {
        null => null,
        _ when quantity.EndsWith('m') => double.Parse(quantity[..^1], CultureInfo.InvariantCulture),
        _ => double.Parse(quantity, CultureInfo.InvariantCulture) * 1000,
    };
}
