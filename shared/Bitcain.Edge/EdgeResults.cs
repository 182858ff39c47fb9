using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Bitcain.Edge;

/// <summary>The 422 the edge answers, written as FastAPI writes it, whatever the application's own JSON settings are.</summary>
public static class EdgeResults
{
    /// <summary>
    /// snake_case names, nulls written (but an entry's empty <c>ctx</c>), numbers as numbers, and quotes left readable
    /// (<c>'ftx'</c>, not <c>\u0027ftx\u0027</c>): the body is served as application/json, never embedded in HTML.
    /// </summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DictionaryKeyPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        NumberHandling = JsonNumberHandling.Strict,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Every problem, with the values of secret fields masked (<see cref="SecretInputs"/>).</summary>
    public static JsonHttpResult<HTTPValidationError> Invalid(IReadOnlyList<FieldError> errors) =>
        TypedResults.Json(new HTTPValidationError(errors.Select(SecretInputs.Redact).ToList()), Json,
            statusCode: StatusCodes.Status422UnprocessableEntity);

    /// <summary>FastAPI's body of every error but validation, <c>{"detail": "..."}</c>, as a typed result the document knows.</summary>
    public static JsonHttpResult<ErrorDetail> Detail(int status, string detail) =>
        TypedResults.Json(new ErrorDetail(detail), EdgeJson.Options, statusCode: status);

    /// <summary>FastAPI's bodies for responses that the routing itself produced (unknown path, wrong method).</summary>
    public static Task WriteStatusDetailAsync(HttpContext context) => context.Response.StatusCode switch
    {
        StatusCodes.Status404NotFound => context.Response.WriteAsJsonAsync(new ErrorDetail("Not Found"), EdgeJson.Options),
        StatusCodes.Status405MethodNotAllowed => context.Response.WriteAsJsonAsync(new ErrorDetail("Method Not Allowed"), EdgeJson.Options),
        StatusCodes.Status415UnsupportedMediaType => context.Response.WriteAsJsonAsync(new ErrorDetail("Unsupported Media Type"), EdgeJson.Options),
        _ => Task.CompletedTask,
    };

    public static Task WriteDetailAsync(HttpContext context, int status, string detail)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(new ErrorDetail(detail), EdgeJson.Options);
    }
}
