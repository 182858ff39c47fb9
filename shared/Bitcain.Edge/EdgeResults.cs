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
}
