using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace Bitcain.Edge;

/// <summary>
/// JWT bearer authentication: HS256 tokens signed with <c>Auth:SigningKey</c>, or tokens of a real identity
/// provider named by <c>Auth:Authority</c>. The user is the token's <c>sub</c>.
/// </summary>
public static class EdgeAuth
{
    public const string UserClaim = "sub";
    private const int MinimumKeyBytes = 32;

    public static void AddEdgeAuth(this WebApplicationBuilder builder)
    {
        var auth = builder.Configuration.GetSection("Auth");
        var authority = auth["Authority"];
        var signingKey = auth["SigningKey"];
        var issuer = auth["Issuer"] ?? "bitcain";
        var audience = auth["Audience"] ?? "bitcain-api";

        // The build's document run serves no request: it has no key to check.
        if (string.IsNullOrWhiteSpace(authority) && !EdgeDocument.IsBuildTime)
        {
            if (string.IsNullOrWhiteSpace(signingKey))
                throw new InvalidOperationException("Auth:SigningKey (or Auth:Authority) must be configured: the gateway will not accept unsigned tokens.");
            if (Encoding.UTF8.GetByteCount(signingKey) < MinimumKeyBytes)
                throw new InvalidOperationException($"Auth:SigningKey must be at least {MinimumKeyBytes} bytes long for HS256.");
        }

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer(o =>
        {
            o.MapInboundClaims = false;
            if (!string.IsNullOrWhiteSpace(authority))
            {
                o.Authority = authority;
                o.Audience = audience;
            }
            o.TokenValidationParameters = new TokenValidationParameters
            {
                ValidateIssuer = true,
                ValidIssuer = string.IsNullOrWhiteSpace(authority) ? issuer : null,
                ValidateAudience = true,
                ValidAudience = audience,
                ValidateLifetime = true,
                RequireExpirationTime = true,
                ClockSkew = TimeSpan.FromSeconds(30),
                NameClaimType = UserClaim,
            };
            if (string.IsNullOrWhiteSpace(authority))
            {
                o.TokenValidationParameters.IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey!));
                o.TokenValidationParameters.ValidAlgorithms = [SecurityAlgorithms.HmacSha256];
            }
            o.Events = new JwtBearerEvents { OnChallenge = WriteChallengeAsync };
        });

        builder.Services.AddAuthorizationBuilder()
            .SetDefaultPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .RequireClaim(UserClaim)
                .Build());
    }

    public static string Id(this ClaimsPrincipal user) =>
        user.FindFirst(UserClaim)?.Value ?? throw new InvalidOperationException("endpoint is not behind authorization");

    private static Task WriteChallengeAsync(JwtBearerChallengeContext context)
    {
        context.HandleResponse();
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return EdgeResults.WriteDetailAsync(context.HttpContext, StatusCodes.Status401Unauthorized, Explain(context));
    }

    // Precise but never echoing the token itself.
    private static string Explain(JwtBearerChallengeContext context) => context.AuthenticateFailure switch
    {
        null => "Not authenticated",
        SecurityTokenExpiredException => "Token has expired",
        SecurityTokenInvalidSignatureException or SecurityTokenSignatureKeyNotFoundException => "Invalid token signature",
        SecurityTokenInvalidAudienceException => "Invalid token audience",
        SecurityTokenInvalidIssuerException => "Invalid token issuer",
        SecurityTokenNotYetValidException => "Token is not valid yet",
        _ => "Invalid authentication token",
    };
}
