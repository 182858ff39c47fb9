using Npgsql;

namespace Bitcain.Bench;

/// <summary>The ceiling: one Kestrel endpoint, one Npgsql query over the credential projection, nothing else.</summary>
public sealed class BareKestrel : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly NpgsqlDataSource _db;
    public string Url { get; }

    private BareKestrel(WebApplication app, NpgsqlDataSource db, string url) => (_app, _db, Url) = (app, db, url);

    public static async Task<BareKestrel> StartAsync(string postgres)
    {
        var port = Bitcain.LocalServers.FreePort.Next();
        var url = $"http://127.0.0.1:{port}";
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls(url);
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var db = NpgsqlDataSource.Create(postgres);
        app.MapGet("/credentials", async (string user, CancellationToken ct) =>
        {
            await using var command = db.CreateCommand("select data from credentials.mt_doc_credentialview where tenant_id = $1");
            command.Parameters.AddWithValue(user);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<string>();
            while (await reader.ReadAsync(ct)) rows.Add(reader.GetString(0));
            return Results.Text("{\"credentials\":[" + string.Join(',', rows) + "],\"total_count\":" + rows.Count + "}", "application/json");
        });
        // The same read with the credentials service's SQL (Marten's compiled query, its ORDER BY included): what the
        // ordering costs PostgreSQL, beside the plain ceiling (--read-path --cpu).
        app.MapGet("/credentials-ordered", async (string user, CancellationToken ct) =>
        {
            await using var command = db.CreateCommand(
                "select d.data from credentials.mt_doc_credentialview as d where d.tenant_id = $1 order by credentials.mt_immutable_timestamptz(d.data ->> 'CreatedAt')");
            command.Parameters.AddWithValue(user);
            await using var reader = await command.ExecuteReaderAsync(ct);
            var rows = new List<string>();
            while (await reader.ReadAsync(ct)) rows.Add(reader.GetString(0));
            return Results.Text("{\"credentials\":[" + string.Join(',', rows) + "],\"total_count\":" + rows.Count + "}", "application/json");
        });
        await app.StartAsync();
        return new BareKestrel(app, db, url);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        await _db.DisposeAsync();
    }
}
