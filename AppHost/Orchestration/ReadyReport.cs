using System.Text;
using System.Text.Json;
using Bitcain.AppHost.Security;

namespace Bitcain.AppHost.Orchestration;

/// <summary>What the developer needs once everything is up: what runs where, a token, and two requests to
/// try. The last line, "Bitcain is ready.", is what scripts and tests wait for.</summary>
public static class ReadyReport
{
    public const string ReadyLine = "Bitcain is ready. Ctrl-C stops everything.";

    public static string Render(LocalApplication app, ServiceResource gateway, string demoToken)
    {
        var text = new StringBuilder().AppendLine().AppendLine("  name         url                        port   pid");
        foreach (var service in app.Resources.OfType<ServiceResource>())
        {
            foreach (var instance in service.Instances)
                text.AppendLine($"  {instance.Name,-12} {instance.Url,-26} {instance.Port,-6} {instance.Process?.Pid}");
        }
        foreach (var server in app.Resources.OfType<ConnectionStringResource>())
        {
            text.AppendLine($"  {server.Name,-12} {server.ConnectionString}");
            text.AppendLine($"  {"",-12} {server.Description}");
        }
        text.AppendLine($"  {"data",-12} {app.DataFolder}");
        var api = gateway.Instances[0].Url;
        if (gateway.Instances.Count > 1)
            text.AppendLine().AppendLine($"  {gateway.Instances.Count} gateways, any of them answers: {string.Join("  ", gateway.Instances.Select(i => i.Url))}");
        return text
            .AppendLine()
            .AppendLine($"  Bearer token for {BearerTokens.DemoUser} (24 h; more with: dotnet run --project AppHost -- token --user <id>):")
            .AppendLine($"  export TOKEN={demoToken}")
            .AppendLine($"  curl -H \"Authorization: Bearer $TOKEN\" {api}/api/exchange/supported")
            .AppendLine($"  curl -H \"Authorization: Bearer $TOKEN\" {api}/api/exchange/credentials")
            .AppendLine()
            .Append(ReadyLine)
            .ToString();
    }

    /// <summary>The simulator's demo accounts, to paste into a credentials request.</summary>
    public static async Task<string> RenderSimulatedAccountsAsync(ServiceResource simulator, CancellationToken ct)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var accounts = JsonDocument.Parse(await http.GetStringAsync(simulator.Instances[0].Url + simulator.HealthPath, ct));
        var text = new StringBuilder().AppendLine().AppendLine("  Simulated exchange accounts:")
            .AppendLine("  exchange    name            api_key                  api_secret                           passphrase  permissions");
        foreach (var account in accounts.RootElement.EnumerateArray())
        {
            text.AppendLine(
                $"  {Field(account, "exchange"),-11} {Field(account, "name"),-15} {Field(account, "api_key"),-24} {Field(account, "api_secret"),-36} {Field(account, "passphrase"),-11} {Field(account, "permissions")}");
        }
        return text.ToString();
    }

    private static string Field(JsonElement element, string name) =>
        !element.TryGetProperty(name, out var value) ? "" : value.ValueKind switch
        {
            JsonValueKind.Array => string.Join(",", value.EnumerateArray().Select(v => v.ToString())),
            JsonValueKind.Null => "",
            _ => value.ToString(),
        };
}
