using System.Collections;

namespace Bitcain.AppHost.Orchestration;

/// <summary>
/// What a service sees: only what the AppHost says, as a container would. The machine basics a .NET
/// process needs, the AppHost's OTEL_* and Exchanges__* settings, and the resource's own variables in
/// Aspire's conventions. Nothing else leaks through: a Credentials__MasterKey in the AppHost's
/// environment reaches only the services given it.
/// </summary>
internal static class ChildEnvironment
{
    private static readonly string[] MachineBasics =
    [
        "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TERM",
        "SSL_CERT_FILE", "SSL_CERT_DIR", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy",
    ];

    // Bus__Trusted__<name>__*: an integration's public key, given to the AppHost once, reaches every service.
    private static readonly string[] PassedThroughPrefixes = ["LC_", "DOTNET_", "OTEL_", "Exchanges__", "Logging__", "Bus__Trusted__"];

    public static Dictionary<string, string> For(ServiceResource service, ServiceInstance instance, AppHostOptions options)
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (MachineBasics.Contains(key) || PassedThroughPrefixes.Any(p => key.StartsWith(p, StringComparison.Ordinal)))
                environment[key] = (string)entry.Value!;
        }

        environment["ASPNETCORE_ENVIRONMENT"] = Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")
            ?? Environment.GetEnvironmentVariable("DOTNET_ENVIRONMENT")
            ?? "Development";
        environment["ASPNETCORE_URLS"] = instance.Url;
        environment["OTEL_SERVICE_NAME"] = service.Name;
        foreach (var (key, value) in service.Environment)
            environment[key] = value();

        // Each instance names itself to PostgreSQL and in its traces, so pg_stat_activity and pg_locks say which
        // replica holds a connection (or the projection daemon's lock), and a trace says which replica served it.
        const string postgres = "ConnectionStrings__postgres";
        if (environment.TryGetValue(postgres, out var connection) && !connection.Contains("Application Name", StringComparison.OrdinalIgnoreCase))
            environment[postgres] = $"{connection.TrimEnd(';')};Application Name={instance.Name}";
        environment["OTEL_RESOURCE_ATTRIBUTES"] = environment.TryGetValue("OTEL_RESOURCE_ATTRIBUTES", out var attributes) && attributes.Length > 0
            ? $"{attributes},service.instance.id={instance.Name}"
            : $"service.instance.id={instance.Name}";
        foreach (var (target, key, value) in options.ExtraEnvironment)
        {
            if (target == service.Name)
                environment[key] = value;
        }
        return environment;
    }
}
