using System.Text.Json.Nodes;
using Shouldly;
using Xunit;

namespace Bitcain.Gateway.Tests.Document;

/// <summary>
/// clients/Bitcain.Gateway.json is written when the gateway builds and committed for the generated client: a commit that
/// changes the API without the file it produces fails here.
/// </summary>
[Collection(DocumentCollection.Name)]
public sealed class CommittedDocumentTests(DocumentSuite suite)
{
    [Fact]
    public async Task the_committed_document_is_the_one_the_gateway_serves()
    {
        var committed = JsonNode.Parse(await File.ReadAllTextAsync(CommittedPath()));
        var served = await suite.ServedDocumentAsync();
        JsonNode.DeepEquals(committed, served).ShouldBeTrue("clients/Bitcain.Gateway.json is stale: build services/Gateway and commit the file");
    }

    private static string CommittedPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "clients", "Bitcain.Gateway.json");
            if (File.Exists(candidate) && Directory.Exists(Path.Combine(dir.FullName, "services", "Gateway"))) return candidate;
        }
        throw new FileNotFoundException("clients/Bitcain.Gateway.json not found above " + AppContext.BaseDirectory);
    }
}
