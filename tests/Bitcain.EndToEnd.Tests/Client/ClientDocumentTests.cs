using System.Text.Json.Nodes;
using Bitcain.Testing;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests.Client;

/// <summary>The client is generated from clients/Bitcain.Gateway.json: that file must be the document the gateway serves,
/// or the client calls an API that is not there.</summary>
[Collection(SuiteCollection.Name)]
public sealed class ClientDocumentTests(BitcainSuite suite)
{
    [Fact]
    public async Task the_clients_document_is_the_one_the_gateway_serves()
    {
        var served = JsonNode.Parse(await suite.Gateway.Server.CreateClient().GetStringAsync("/openapi.json"))!;
        var file = Path.Combine(RepositoryRoot(), "clients", "Bitcain.Gateway.json");
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(file))!;

        // Operations and schemas are what the client is made of; a server list or a description may differ.
        foreach (var part in new[] { "paths", "components" })
            JsonNode.DeepEquals(served[part], committed[part]).ShouldBeTrue(
                $"{file} is stale: its {part} differ from the gateway's /openapi.json; build the gateway (it writes the file) and rebuild the client");
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Bitcain.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("no Bitcain.sln above " + AppContext.BaseDirectory);
    }
}
