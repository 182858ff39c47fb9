using Bitcain.Contracts.Credentials;

namespace Bitcain.Gateway.Http;

/// <summary>The contract's error bodies of a service call, as typed results so the document knows their shapes.</summary>
public static class ApiResults
{
    /// <summary>The 503/504 a service call ended with, or a refusal on the way to it.</summary>
    public static JsonHttpResult<ErrorDetail> Detail(ServiceFailure failure) => EdgeResults.Detail(failure.Status, failure.Detail);

    public static JsonHttpResult<ErrorDetail> Refusal<T>(this ServiceAnswer<T> answer) => Detail(answer.Failure!);

    /// <summary>The endpoint's 200 made from the owning service's reply, or the 503/504 the call ended with.</summary>
    public static Results<Ok<TResponse>, JsonHttpResult<ErrorDetail>> Ok<T, TResponse>(this ServiceAnswer<T> answer, Func<T, TResponse> response) =>
        answer.Answered ? TypedResults.Ok(response(answer.Reply!)) : answer.Refusal();
}

/// <summary>A refusal of the shared credential rules (Bitcain.Contracts) as a 422 entry: a service refusing a bus command says the same.</summary>
public static class RuleViolations
{
    extension(FieldError)
    {
        public static FieldError From(RuleViolation v) => new(v.Type, v.Loc, v.Msg, v.Input, v.Ctx);
    }
}

/// <summary>
/// A body the owning service wrote (<see cref="HttpQueryClient.ForwardAsync"/>), passed on as the typed endpoints write
/// theirs (JSON in UTF-8, its length known). It adds no metadata: the endpoint's typed <c>Ok&lt;T&gt;</c> documents the same 200.
/// </summary>
public sealed class ForwardedJson(byte[] json) : IResult
{
    public Task ExecuteAsync(HttpContext http) => Results.Bytes(json, "application/json; charset=utf-8").ExecuteAsync(http);
}
