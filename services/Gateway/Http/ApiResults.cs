namespace Bitcain.Gateway.Http;

/// <summary>The contract's error bodies: <c>{"detail": "..."}</c> for everything but validation, the 422 list for that.</summary>
public static class ApiResults
{
    public static IResult Detail(int status, string detail) =>
        Results.Json(new { detail }, GatewayJson.Options, statusCode: status);

    public static IResult Invalid(IReadOnlyList<FieldError> errors) =>
        Results.Json(new { detail = errors.Select(SecretInputs.Redact).ToList() }, GatewayJson.Options, statusCode: StatusCodes.Status422UnprocessableEntity);

    public static IResult Ok<T>(T body, int status = StatusCodes.Status200OK) =>
        Results.Json(body, GatewayJson.Options, statusCode: status);

    /// <summary>FastAPI's bodies for responses that the routing itself produced (unknown path, wrong method).</summary>
    public static Task WriteStatusDetailAsync(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => context.Response.WriteAsJsonAsync(new { detail = "Not Found" }, GatewayJson.Options),
        StatusCodes.Status405MethodNotAllowed => context.Response.WriteAsJsonAsync(new { detail = "Method Not Allowed" }, GatewayJson.Options),
        StatusCodes.Status415UnsupportedMediaType => context.Response.WriteAsJsonAsync(new { detail = "Unsupported Media Type" }, GatewayJson.Options),
        _ => Task.CompletedTask,
    };

    public static Task WriteDetailAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new { detail }, GatewayJson.Options);
    }
}
