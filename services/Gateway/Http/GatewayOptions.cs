namespace Bitcain.Gateway.Http;

/// <summary>The gateway's own settings (<c>Gateway:*</c>); the edge's limits are read from the same section.</summary>
public sealed class GatewayOptions
{
    /// <summary>How long the gateway waits for a service's answer before it answers 504.</summary>
    public double ServiceTimeoutSeconds { get; set; } = 10;

    /// <summary>How long the gateway itself keeps a public ticker (Api/TickerShortCache); 0: not at all.</summary>
    public double TickerHoldSeconds { get; set; } = 1;

    /// <summary>
    /// <c>POST /api/exchange/validate</c> makes a signed call to an exchange for each request, with whatever key it is
    /// given: without a tighter limit it turns the gateway into a key-guessing relay and the exchange's per-IP limit
    /// (ours, shared by every user) into the attacker's to spend.
    /// </summary>
    public int ValidateRateLimitPermits { get; set; } = 10;
    public double ValidateRateLimitWindowSeconds { get; set; } = 60;
}

public static class GatewayEdge
{
    public const string ValidatePolicy = "key-validation";

    /// <summary>The edge (JWT bearer, FastAPI's JSON, limits, CORS, TLS) with the gateway's settings and its tighter limit on key validation.</summary>
    public static GatewayOptions AddGatewayEdge(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
        var edge = builder.Configuration.GetSection("Gateway").Get<EdgeProtectionOptions>() ?? new EdgeProtectionOptions();
        builder.Services.AddSingleton(options);
        builder.AddTlsEdge();
        builder.AddEdgeAuth();
        builder.AddEdgeProtection(edge, new Dictionary<string, RateLimit>
        {
            [ValidatePolicy] = new(options.ValidateRateLimitPermits, options.ValidateRateLimitWindowSeconds, "key validations"),
        });
        builder.Services.ConfigureHttpJsonOptions(o => EdgeJson.Configure(o.SerializerOptions));
        return options;
    }
}
