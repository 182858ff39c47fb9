using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Bitcain.ServiceDefaults.Telemetry;

/// <summary>
/// Samples as the default does (a span follows its parent; a new trace is recorded), except a PostgreSQL command
/// that belongs to nothing: Wolverine's durability agent, Marten's projection daemon and the health checks poll
/// PostgreSQL every few seconds per service, and each poll would otherwise be a trace of its own that buries the
/// requests. A command run for a request, a message or an exchange call has a parent and is kept.
/// </summary>
/// <remarks>Npgsql names its command spans after the database system (<c>postgresql</c>); should that change, this
/// drops nothing and the polls show again, which is the safe way to fail.</remarks>
internal sealed class UnparentedDatabaseSpans : Sampler
{
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    private readonly Sampler usual = new ParentBasedSampler(new AlwaysOnSampler());

    public override SamplingResult ShouldSample(in SamplingParameters parameters) =>
        parameters.ParentContext.TraceId == default && parameters.Kind == ActivityKind.Client && parameters.Name == "postgresql"
            ? Drop
            : usual.ShouldSample(parameters);
}
