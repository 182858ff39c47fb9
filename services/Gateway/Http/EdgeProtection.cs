using System.Threading.RateLimiting;
using Bitcain.Gateway.Auth;
using Microsoft.AspNetCore.RateLimiting;

namespace Bitcain.Gateway.Http;

public sealed class GatewayOptions
{
    /// <summary>How long the gateway waits for a service's answer before it answers 504.</summary>
    public double ServiceTimeoutSeconds { get; set; } = 10;

    /// <summary>How long the gateway itself keeps a public ticker (Api/TickerShortCache); 0: not at all.</summary>
    public double TickerHoldSeconds { get; set; } = 1;
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
    public int RateLimitPermits { get; set; } = 300;
    public double RateLimitWindowSeconds { get; set; } = 60;

    /// <summary>
    /// <c>POST /api/exchange/validate</c> makes a signed call to an exchange for each request, with whatever key it is
    /// given: without a tighter limit it turns the gateway into a key-guessing relay and the exchange's per-IP limit
    /// (ours, shared by every user) into the attacker's to spend.
    /// </summary>
    public int ValidateRateLimitPermits { get; set; } = 10;
    public double ValidateRateLimitWindowSeconds { get; set; } = 60;
    public string[] CorsOrigins { get; set; } = [];
}

/// <summary>Per-user rate limiting, CORS and the request size limit: what stands between the internet and the services.</summary>
public static class EdgeProtection
{
    public const string CorsPolicy = "configured-origins";
    public const string ValidatePolicy = "key-validation";

    public static GatewayOptions AddEdgeProtection(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Gateway").Get<GatewayOptions>() ?? new GatewayOptions();
        builder.Services.AddSingleton(options);
        builder.Services.Configure<EdgeOptions>(edge => edge.MaxRequestBodyBytes = options.MaxRequestBodyBytes);

        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes);

        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy =>
        {
            if (options.CorsOrigins.Length > 0)
                policy.WithOrigins(options.CorsOrigins).AllowAnyHeader().AllowAnyMethod().WithExposedHeaders("Retry-After");
        }));

        builder.Services.AddRateLimiter(limiter =>
        {
            // Partitioned by the token's user, so one busy user cannot starve the others; unauthenticated
            // callers share their address's partition.
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context), _ => new FixedWindowRateLimiterOptions
                {
                    PermitLimit = options.RateLimitPermits,
                    Window = TimeSpan.FromSeconds(options.RateLimitWindowSeconds),
                    QueueLimit = 0,
                    AutoReplenishment = true,
                }));
            limiter.AddPolicy(ValidatePolicy, context => RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context), _ => new FixedWindowRateLimiterOptions
            {
                PermitLimit = options.ValidateRateLimitPermits,
                Window = TimeSpan.FromSeconds(options.ValidateRateLimitWindowSeconds),
                QueueLimit = 0,
                AutoReplenishment = true,
            }));
            limiter.OnRejected = async (context, ct) =>
            {
                var validating = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName == ValidatePolicy;
                var (permits, window, what) = validating
                    ? (options.ValidateRateLimitPermits, options.ValidateRateLimitWindowSeconds, "key validations")
                    : (options.RateLimitPermits, options.RateLimitWindowSeconds, "requests");
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : (int)Math.Ceiling(window);
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString();
                await ApiResults.WriteDetailAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    $"Rate limit exceeded: at most {permits} {what} per {window:0.#} s. Retry after {retryAfter} s.");
            };
        });
        return options;
    }

    private static string PartitionOf(HttpContext context) =>
        context.User.FindFirst(GatewayAuth.UserClaim)?.Value is { } user ? "user:" + user : "ip:" + context.Connection.RemoteIpAddress;

    /// <summary>Turns the failures that reach the edge into the contract's bodies; a bug still surfaces as 500, logged.</summary>
    public static IApplicationBuilder UseContractErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (BodyTooLargeException e) when (!context.Response.HasStarted)
        {
            await ApiResults.WriteDetailAsync(context, StatusCodes.Status413PayloadTooLarge, $"Request body too large: the limit is {e.Limit} bytes.");
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted && e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await ApiResults.WriteDetailAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
    });
}
