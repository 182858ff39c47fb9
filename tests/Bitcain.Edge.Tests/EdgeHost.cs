using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Bitcain.Edge.Tests;

/// <summary>A tiny ASP.NET application with the edge's one filter in front of two endpoints, served over TestServer.</summary>
public sealed class EdgeHost : IAsyncLifetime
{
    public const long BodyLimit = 512;
    private WebApplication? _app;
    public HttpClient Client { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Services.Configure<EdgeOptions>(o => o.MaxRequestBodyBytes = BodyLimit);
        _app = builder.Build();
        _app.Use(async (context, next) =>
        {
            try { await next(context); }
            catch (BodyTooLargeException e) { context.Response.StatusCode = 413; await context.Response.WriteAsync($"limit {e.Limit}"); }
        });
        var shop = _app.MapGroup("/shop").AddEndpointFilter<RouteGroupBuilder, EdgeValidation>();
        shop.MapGet("/paint", (PaintQuery q) => TypedResults.Ok(new { paint = q.Paint.Hex, coats = q.Coats }));
        shop.MapPost("/orders", (PaintOrder o) => TypedResults.Ok(new { paint = o.Paint, accents = o.Accents, finish = o.Finish, card = o.CardNumber.Length }));
        await _app.StartAsync();
        Client = _app.GetTestClient();
    }

    public async Task DisposeAsync()
    {
        if (_app is not null) await _app.DisposeAsync();
    }

    public async Task<(HttpStatusCode Status, string Body)> GetAsync(string pathAndQuery)
    {
        using var response = await Client.GetAsync(pathAndQuery);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<(HttpStatusCode Status, string Body)> PostAsync(string path, string json, string contentType = "application/json")
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        using var response = await Client.PostAsync(path, content);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
