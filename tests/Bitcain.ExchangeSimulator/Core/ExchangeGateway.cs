namespace Bitcain.ExchangeSimulator;

/// <summary>Splits <c>/{exchange}/{real path}</c>, counts the request, applies faults, then hands the request to
/// the exchange with its real path (the one signatures cover).</summary>
internal sealed class ExchangeGateway(SimulatorState state)
{
    public async Task<bool> TryHandleAsync(HttpContext context)
    {
        var fullPath = context.Request.Path.Value ?? "/";
        var slash = fullPath.IndexOf('/', 1);
        var prefix = slash < 0 ? fullPath.TrimStart('/') : fullPath[1..slash];
        if (!state.Exchanges.TryGetValue(prefix, out var exchange)) return false;
        var path = slash < 0 ? "/" : fullPath[slash..];

        state.Requests.Record(exchange.Name, context.Request.Method, path);

        var (latency, fault) = state.Faults.Match(exchange.Name, path, exchange.ApiKeyOf(context.Request));
        // Wall-clock on purpose: a test that freezes the exchanges' clock must still get its delayed answer.
        if (latency > TimeSpan.Zero) await Task.Delay(latency, context.RequestAborted);

        switch (fault?.Kind)
        {
            case FaultKind.DropConnection:
                context.Abort();
                return true;
            case FaultKind.RateLimited or FaultKind.ServerError or FaultKind.Maintenance:
                await exchange.WriteFaultAsync(context, path, fault);
                return true;
            case FaultKind.MalformedJson:
                await WriteTruncatedAsync(context, exchange, path);
                return true;
            case FaultKind.DropResponse:
                await HandleThenAbortAsync(context, exchange, path);
                return true;
            case FaultKind.Body:
                context.Response.StatusCode = fault.StatusCode ?? 200;
                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync(fault.Body ?? "", context.RequestAborted);
                return true;
            default:
                await exchange.HandleAsync(context, path);
                return true;
        }
    }

    private static async Task HandleThenAbortAsync(HttpContext context, IExchangeSimulation exchange, string path)
    {
        var original = context.Response.Body;
        using var discarded = new MemoryStream();
        context.Response.Body = discarded;
        try
        {
            await exchange.HandleAsync(context, path);
        }
        finally
        {
            context.Response.Body = original;
        }
        context.Abort();
    }

    private static async Task WriteTruncatedAsync(HttpContext context, IExchangeSimulation exchange, string path)
    {
        var original = context.Response.Body;
        using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await exchange.HandleAsync(context, path);
        }
        finally
        {
            context.Response.Body = original;
        }
        var bytes = buffer.ToArray();
        var cut = Math.Max(1, bytes.Length / 2);
        context.Response.ContentLength = cut;
        await original.WriteAsync(bytes.AsMemory(0, cut), context.RequestAborted);
    }
}
