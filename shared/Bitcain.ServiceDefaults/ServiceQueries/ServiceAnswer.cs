namespace Bitcain.ServiceDefaults.ServiceQueries;

/// <summary>
/// Why a caller has no answer from the owning service: the HTTP status and the <c>detail</c> it answers its own caller
/// with (503: not sent, or the service failed it; 504: the wait ended first). A value, so that each edge writes it in
/// its own error body.
/// </summary>
public sealed record ServiceFailure(int Status, string Detail);

/// <summary>The answer of an owning service, or the failure the caller gets when it has none.</summary>
/// <remarks><see cref="TimedOut"/>: the wait ended first; the command stays queued and may still be applied.</remarks>
public readonly record struct ServiceAnswer<T>(T? Reply, ServiceFailure? Failure, bool TimedOut = false)
{
    public bool Answered => Failure is null;
}
