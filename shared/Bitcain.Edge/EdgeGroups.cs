using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Bitcain.Edge;

public static class EdgeGroups
{
    /// <summary>
    /// A group of the API: behind the bearer token unless an endpoint allows anonymous callers, every request through the
    /// edge's one filter, and the 401 in the document of every endpoint that can answer it.
    /// </summary>
    public static RouteGroupBuilder MapEdgeGroup(this IEndpointRouteBuilder app, string prefix, string tag)
    {
        var group = app.MapGroup(prefix).WithTags(tag).RequireAuthorization().AddEndpointFilter<RouteGroupBuilder, EdgeValidation>();
        ((IEndpointConventionBuilder)group).Finally(endpoint =>
        {
            if (!endpoint.Metadata.OfType<IAllowAnonymous>().Any())
                endpoint.Metadata.Add(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ErrorDetail), ["application/json"]));
        });
        return group;
    }
}
