using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;

namespace Bitcain.Edge;

/// <summary>What the edge allows each caller: bound by the application from its own configuration section.</summary>
public sealed class EdgeProtectionOptions
{
    public long MaxRequestBodyBytes { get; set; } = 64 * 1024;
    public int RateLimitPermits { get; set; } = 300;
    public double RateLimitWindowSeconds { get; set; } = 60;
    public string[] CorsOrigins { get; set; } = [];
}

/// <summary>A tighter limit for the endpoints that name its policy; <paramref name="What"/> counts them in the 429's detail.</summary>
public sealed record RateLimit(int Permits, double WindowSeconds, string What);

/// <summary>Per-user rate limiting, CORS and the request size limit: what stands between the internet and the services.</summary>
public static class EdgeProtection
{
    public const string CorsPolicy = "configured-origins";

    /// <param name="policies">Tighter limits by policy name, for endpoints that <c>RequireRateLimiting</c> one of them.</param>
    public static void AddEdgeProtection(this WebApplicationBuilder builder, EdgeProtectionOptions options,
        IReadOnlyDictionary<string, RateLimit>? policies = null)
    {
        policies ??= new Dictionary<string, RateLimit>();
        var general = new RateLimit(options.RateLimitPermits, options.RateLimitWindowSeconds, "requests");
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
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Window(context, general));
            foreach (var (name, limit) in policies)
                limiter.AddPolicy(name, context => Window(context, limit));
            limiter.OnRejected = async (context, ct) =>
            {
                var policy = context.HttpContext.GetEndpoint()?.Metadata.GetMetadata<EnableRateLimitingAttribute>()?.PolicyName;
                var limit = policy is not null && policies.TryGetValue(policy, out var tighter) ? tighter : general;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
                    ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds))
                    : (int)Math.Ceiling(limit.WindowSeconds);
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString();
                await EdgeResults.WriteDetailAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
                    $"Rate limit exceeded: at most {limit.Permits} {limit.What} per {limit.WindowSeconds:0.#} s. Retry after {retryAfter} s.");
            };
        });
    }

    private static RateLimitPartition<string> Window(HttpContext context, RateLimit limit) =>
        RateLimitPartition.GetFixedWindowLimiter(PartitionOf(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limit.Permits,
            Window = TimeSpan.FromSeconds(limit.WindowSeconds),
            QueueLimit = 0,
            AutoReplenishment = true,
        });

    private static string PartitionOf(HttpContext context) =>
        context.User.FindFirst(EdgeAuth.UserClaim)?.Value is { } user ? "user:" + user : "ip:" + context.Connection.RemoteIpAddress;

    /// <summary>
    /// The edge's pipeline, in its order: TLS first (everything after it sees the client's scheme and address), FastAPI's
    /// error bodies, CORS, then who the caller is before how much they may do.
    /// </summary>
    public static void UseEdge(this WebApplication app)
    {
        app.UseTlsEdge();
        app.UseExceptionHandler(e => e.Run(ctx => EdgeResults.WriteDetailAsync(ctx, StatusCodes.Status500InternalServerError, "Internal Server Error")));
        app.UseStatusCodePages(ctx => EdgeResults.WriteStatusDetailAsync(ctx.HttpContext));
        app.UseContractErrors();
        app.UseCors(CorsPolicy);
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
    }

    /// <summary>Turns the failures that reach the edge into the contract's bodies; a bug still surfaces as 500, logged.</summary>
    public static IApplicationBuilder UseContractErrors(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        try
        {
            await next(context);
        }
        catch (BodyTooLargeException e) when (!context.Response.HasStarted)
        {
            await EdgeResults.WriteDetailAsync(context, StatusCodes.Status413PayloadTooLarge, $"Request body too large: the limit is {e.Limit} bytes.");
        }
        catch (BadHttpRequestException e) when (!context.Response.HasStarted && e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await EdgeResults.WriteDetailAsync(context, StatusCodes.Status413PayloadTooLarge, "Request body too large.");
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
    });
}
