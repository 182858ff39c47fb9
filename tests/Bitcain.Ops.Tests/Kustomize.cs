namespace Bitcain.Ops.Tests;

/// <summary>ops/cluster/k8s/kustomization.yaml: what `kubectl apply -k` applies.</summary>
public static class Kustomize
{
    public static Dictionary<string, object?> File { get; } = Yaml.LoadAll($"{Deployments.K8sFolder}/kustomization.yaml").Single();

    public static IReadOnlyList<string> Resources => File.List("resources").OfType<string>().ToList();

    public static IReadOnlyList<string> GeneratedFiles(string configMap) =>
        File.List("configMapGenerator").Cast<Dictionary<string, object?>>().Single(g => g.Str("name") == configMap).List("files").OfType<string>().ToList();

    public static IEnumerable<string> ConfigMapNames =>
        File.List("configMapGenerator").Cast<Dictionary<string, object?>>().Select(g => g.Str("name")!)
            .Concat(Deployments.Kind("ConfigMap").Select(c => c.Map("metadata").Str("name")!));
}
