using Bitcain.Gateway.Http;

namespace Bitcain.Gateway.OpenApi;

/// <summary>
/// What one endpoint accepts and returns. Endpoints are mapped from these, and <c>/openapi.json</c> is
/// generated from the same list: an endpoint cannot exist undocumented or be documented differently.
/// </summary>
public sealed record EndpointDoc(
    string Method,
    string Path,
    string OperationId,
    string Summary,
    string Tag,
    Type? Response,
    IReadOnlyList<ParamSpec>? Parameters = null,
    BodySpec? Body = null,
    bool Anonymous = false,
    int SuccessStatus = StatusCodes.Status200OK,
    string? Description = null)
{
    public IReadOnlyList<ParamSpec> AllParameters => Parameters ?? [];
}

public sealed class ApiCatalog
{
    private readonly List<EndpointDoc> _endpoints = [];
    public IReadOnlyList<EndpointDoc> Endpoints => _endpoints;
    internal void Add(EndpointDoc doc) => _endpoints.Add(doc);
}

public static class DocumentedEndpoints
{
    public static RouteHandlerBuilder MapDocumented(this IEndpointRouteBuilder app, EndpointDoc doc, Delegate handler)
    {
        app.ServiceProvider.GetRequiredService<ApiCatalog>().Add(doc);
        var route = app.MapMethods(doc.Path, [doc.Method], handler).WithName(doc.OperationId).CheckRequestText();
        return doc.Anonymous ? route.AllowAnonymous() : route.RequireAuthorization();
    }
}
