using System.Text.RegularExpressions;

namespace Bitcain.Ops.Tests;

/// <summary>
/// The checks, as functions from a deployment to its problems: the tests assert none on the real manifests, and
/// <see cref="DriftTests"/> assert that a drifted copy has some, so no rule can pass vacuously.
/// </summary>
public static class Rules
{
    /// <summary>The only services that may hold the master key.</summary>
    public static readonly IReadOnlyList<string> MasterKeyHolders = ["credentials", "sync"];

    public const string MasterKey = "Credentials__MasterKey";

    /// <summary>
    /// Settings the README's configuration table names and the manifests must carry, whose reading code lives on
    /// another branch (the credential vault reads Credentials:MasterKey there). Each must stay in the README's table;
    /// once the code is merged the scan finds it and this list is merely redundant.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> AwaitingCode = new Dictionary<string, string[]>
    {
        [MasterKey] = ["credentials", "sync"],
    };

    /// <summary>Keys each service must get, beyond the ones its code cannot start without.</summary>
    public static IEnumerable<(string Key, string Why)> Required(ServiceSource service)
    {
        foreach (var key in service.CannotStartWithout)
            yield return (key.Pattern.Replace(":", "__"), "the service does not start without it");
        yield return ("OTEL_SERVICE_NAME", "names its traces, metrics and logs");
        foreach (var other in Deployments.ServiceNames.Where(n => n != service.Name))
            yield return ($"services__{other}__http__0", "service discovery in Aspire's convention, as the AppHost gives it");
        if (service.Name == "gateway")
            yield return ("Auth__SigningKey", "the gateway refuses to start without a signing key (or an authority)");
        if (MasterKeyHolders.Contains(service.Name))
            yield return (MasterKey, "wraps the credentials' data keys");
    }

    private static readonly Regex SecretName = new(@"(?i)(masterkey|signingkey|password|_pass$|cookie|secret|apikey|token)");

    public static IEnumerable<string> UnreadKeys(ServiceContainer c, ServiceSource source)
    {
        if (c.UsesEnvFrom)
            yield return $"{c}: envFrom/env_file hides which keys the service gets; name each key";
        for (var i = 0; i < c.Env.Count; i++)
        {
            var env = c.Env[i];
            if (source.ReadsKey(env.Name)) continue;
            if (AwaitingCode.TryGetValue(env.Name, out var services) && services.Contains(c.Service)) continue;
            // A Secret's value fetched only to build a later value by $(NAME) expansion (Kubernetes).
            if (env.Secret is not null && c.Env.Skip(i + 1).Any(later => later.Value?.Contains($"$({env.Name})", StringComparison.Ordinal) == true)) continue;
            yield return $"{c}: {env.Name} is not a setting the {c.Service} service reads";
        }
    }

    public static IEnumerable<string> MissingKeys(ServiceContainer c, ServiceSource source) =>
        Required(source)
            .Where(r => c.Get(r.Key) is null && !(r.Key == "Auth__SigningKey" && c.Get("Auth__Authority") is not null))
            .Select(r => $"{c}: {r.Key} is missing ({r.Why})");

    public static IEnumerable<string> MasterKeyLeaks(ServiceContainer c)
    {
        if (MasterKeyHolders.Contains(c.Service)) yield break;
        foreach (var env in c.Env)
        {
            if (ConfigKey.FromEnvironment(env.Name).Equals(ConfigKey.FromEnvironment(MasterKey), StringComparison.OrdinalIgnoreCase))
                yield return $"{c}: gets {MasterKey}";
            else if (env.Secret?.Name == "bitcain-master-key" || env.Value?.Contains("MASTER_KEY", StringComparison.OrdinalIgnoreCase) == true)
                yield return $"{c}: {env.Name} carries the master key";
        }
    }

    /// <summary>The gateway holds no database credentials (README, "Why the gateway asks the services").</summary>
    public static IEnumerable<string> GatewayDatabaseAccess(ServiceContainer c)
    {
        if (c.Service != "gateway") yield break;
        foreach (var env in c.Env)
        {
            if (env.Name.StartsWith("ConnectionStrings__postgres", StringComparison.OrdinalIgnoreCase))
                yield return $"{c}: the gateway gets a database connection string";
            else if (env.Secret?.Name.StartsWith("bitcain-db-", StringComparison.Ordinal) == true || env.Secret?.Name == "bitcain-postgres-superuser"
                     || env.Value?.Contains("_DB_PASSWORD", StringComparison.Ordinal) == true || env.Value?.Contains("POSTGRES", StringComparison.Ordinal) == true)
                yield return $"{c}: {env.Name} carries database credentials";
        }
    }

    /// <summary>Secret values come from the secret store (Kubernetes) or compose.env (compose), never from the file.</summary>
    public static IEnumerable<string> LiteralSecrets(string where, string deployment, IReadOnlyList<EnvVar> env)
    {
        bool IsSecretReference(string text) => deployment == "compose"
            ? Regex.IsMatch(text, @"^\$\{[A-Z0-9_]+(:?[?-][^}]*)?\}$")
            : Regex.Match(text, @"^\$\(([A-Za-z0-9_]+)\)$") is { Success: true } m && env.Any(e => e.Name == m.Groups[1].Value && e.Secret is not null);

        foreach (var e in env)
        {
            if (SecretName.IsMatch(e.Name) && e.Secret is null && !(e.Value is not null && IsSecretReference(e.Value)))
                yield return $"{where}: {e.Name} is not a reference to a secret";
            if (e.Value is null) continue;
            foreach (Match m in Regex.Matches(e.Value, @"(?i)(?:password|pwd)=([^;]*)"))
                if (!IsSecretReference(m.Groups[1].Value))
                    yield return $"{where}: {e.Name} holds a literal password";
            if (Regex.Match(e.Value, @"^amqps?://([^@/]*)@") is { Success: true } uri)
            {
                var parts = SplitUserInfo(uri.Groups[1].Value);
                if (parts.Password is null || !IsSecretReference(parts.Password))
                    yield return $"{where}: {e.Name} holds a literal broker password";
            }
        }
    }

    // amqp://${USER:?x}:${PASS:?x}@host: split on the colon that is outside ${...} and $(...).
    private static (string User, string? Password) SplitUserInfo(string userInfo)
    {
        var depth = 0;
        for (var i = 0; i < userInfo.Length; i++)
        {
            if (userInfo[i] is '{' or '(') depth++;
            else if (userInfo[i] is '}' or ')') depth--;
            else if (userInfo[i] == ':' && depth == 0) return (userInfo[..i], userInfo[(i + 1)..]);
        }
        return (userInfo, null);
    }

    public static IEnumerable<string> ProbeProblems(ServiceContainer c, int imagePort)
    {
        if (c.Deployment == "compose")
        {
            if (c.HealthcheckCommand is null || !c.HealthcheckCommand.Contains(SourceFacts.HealthPath, StringComparison.Ordinal)
                                              || !c.HealthcheckCommand.Contains(imagePort.ToString(), StringComparison.Ordinal))
                yield return $"{c}: the healthcheck does not ask {SourceFacts.HealthPath} on port {imagePort}";
            yield break;
        }
        if (c.ReadinessPath != SourceFacts.HealthPath) yield return $"{c}: readiness probe asks {c.ReadinessPath ?? "nothing"}, the services map {SourceFacts.HealthPath}";
        if (c.LivenessPath != SourceFacts.AlivePath) yield return $"{c}: liveness probe asks {c.LivenessPath ?? "nothing"}, the services map {SourceFacts.AlivePath}";
        if (c.ContainerPort != imagePort) yield return $"{c}: container port {c.ContainerPort} is not the image's {imagePort}";
        if (c.ReadinessPort != imagePort || c.LivenessPort != imagePort) yield return $"{c}: probes go to port {c.ReadinessPort}/{c.LivenessPort}, the service listens on {imagePort}";
    }

    public static IEnumerable<string> ScalingProblems(ServiceContainer c)
    {
        if (c.Deployment != "k8s") yield break;
        if (c.Replicas is not >= 2) yield return $"{c}: {c.Replicas?.ToString() ?? "default (1)"} replicas; at least 2 so one can fail";
        if (c.AutoscalerMinReplicas is not >= 2) yield return $"{c}: no HorizontalPodAutoscaler with minReplicas >= 2";
    }

    /// <summary>Headroom over the bench's working set the memory request must have.</summary>
    public const double MemoryHeadroom = 1.25;

    public static IEnumerable<string> ResourceProblems(ServiceContainer c, IReadOnlyDictionary<string, int> bench)
    {
        if (c.Deployment != "k8s") yield break;
        if (!bench.TryGetValue(c.Service, out var measured))
        {
            yield return $"{c}: README's bench has no memory figure for {c.Service}";
            yield break;
        }
        if (c.MemoryRequestMiB is not { } request || request < measured * MemoryHeadroom)
            yield return $"{c}: memory request {c.MemoryRequestMiB} MiB is below the bench's {measured} MiB x {MemoryHeadroom}";
        if (c.MemoryLimitMiB is not { } limit || limit < (c.MemoryRequestMiB ?? 0))
            yield return $"{c}: memory limit {c.MemoryLimitMiB} MiB is missing or below the request";
        if (c.CpuRequestMillis is not > 0)
            yield return $"{c}: no CPU request";
    }
}
