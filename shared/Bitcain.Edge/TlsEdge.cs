using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Bitcain.Edge;

/// <summary>Where TLS ends in front of the edge (an ingress or a load balancer), and what browsers are told about it.</summary>
public sealed class TlsEdgeOptions
{
    /// <summary>
    /// Believe X-Forwarded-Proto and X-Forwarded-For from whoever connects. Only true when nothing but the TLS
    /// proxy can reach the edge (a ClusterIP Service behind the ingress): anyone else could claim to be https.
    /// </summary>
    public bool TrustForwardedHeaders { get; set; }

    /// <summary>Strict-Transport-Security max-age on https answers; 0 sends none.</summary>
    public int HstsMaxAgeSeconds { get; set; } = 365 * 24 * 3600;
}

public static class TlsEdge
{
    public static void AddTlsEdge(this WebApplicationBuilder builder)
    {
        var options = builder.Configuration.GetSection("Edge").Get<TlsEdgeOptions>() ?? new TlsEdgeOptions();
        builder.Services.AddSingleton(options);
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            // The proxy's pod address is not known in advance; the Service makes the proxy the only caller.
            forwarded.KnownIPNetworks.Clear();
            forwarded.KnownProxies.Clear();
        });
        builder.Services.AddHsts(hsts =>
        {
            hsts.MaxAge = TimeSpan.FromSeconds(Math.Max(options.HstsMaxAgeSeconds, 0));
            hsts.IncludeSubDomains = true;
        });
    }

    /// <summary>First in the pipeline: everything after it (rate limits per client, HSTS) sees the client's scheme and address.</summary>
    public static void UseTlsEdge(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<TlsEdgeOptions>();
        if (options.TrustForwardedHeaders)
            app.UseForwardedHeaders();
        // Sent on https requests only, which plain local runs (http://127.0.0.1) never are.
        if (options.HstsMaxAgeSeconds > 0)
            app.UseHsts();
    }
}
