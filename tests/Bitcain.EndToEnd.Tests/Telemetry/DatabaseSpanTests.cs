using System.Diagnostics;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests.Telemetry;

[Collection(TelemetryCollection.Name)]
public sealed class DatabaseSpanTests(TelemetrySuite telemetry)
{
    /// <summary>A sampled span the test owns, as a request's or a handler's would be, so commands under it have a parent.</summary>
    public static IDisposable RecordedParent()
    {
        var parent = new Activity("telemetry-test") { ActivityTraceFlags = ActivityTraceFlags.Recorded };
        parent.SetIdFormat(ActivityIdFormat.W3C);
        return parent.Start();
    }

    [Fact]
    public async Task a_command_that_belongs_to_nothing_is_not_a_trace_of_its_own_and_one_that_belongs_to_a_span_is_traced()
    {
        var marker = Guid.NewGuid().ToString("N")[..12];
        await using var source = Npgsql.NpgsqlDataSource.Create(telemetry.Suite.Infrastructure.Postgres);
        await using (var poll = source.CreateCommand($"select 'poll-{marker}'"))
            await poll.ExecuteScalarAsync();
        using (RecordedParent())
        await using (var work = source.CreateCommand($"select 'work-{marker}'"))
            await work.ExecuteScalarAsync();

        var texts = telemetry.Spans.All.Where(s => s.Source.Name == "Npgsql").Select(s => s.GetTagItem("db.query.text") as string ?? "").ToList();
        texts.ShouldContain($"select 'work-{marker}'");
        texts.ShouldNotContain($"select 'poll-{marker}'");
    }
}
