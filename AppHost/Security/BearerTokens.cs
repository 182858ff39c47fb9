using System.IdentityModel.Tokens.Jwt;
using Microsoft.IdentityModel.Tokens;

namespace Bitcain.AppHost.Security;

/// <summary>
/// Mints the HS256 bearer tokens the gateway accepts in a local run. The signing key is the base64 of
/// random bytes (as in Auth__SigningKey); the services decode it the same way.
/// </summary>
public static class BearerTokens
{
    public const string Issuer = "bitcain";
    public const string Audience = "bitcain-api";
    public const string DemoUser = "demo-user";

    public static string Mint(string signingKey, string user, TimeSpan lifetime, DateTimeOffset now)
    {
        var key = new SymmetricSecurityKey(KeyBytes(signingKey));
        var descriptor = new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = (now + lifetime).UtcDateTime,
            Claims = new Dictionary<string, object> { [JwtRegisteredClaimNames.Sub] = user },
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        };
        return new JwtSecurityTokenHandler().CreateEncodedJwt(descriptor);
    }

    public static byte[] KeyBytes(string signingKey)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(signingKey);
        }
        catch (FormatException)
        {
            throw new InvalidOperationException("Auth__SigningKey must be base64 (for example: openssl rand -base64 48).");
        }
        if (bytes.Length < 32)
            throw new InvalidOperationException($"Auth__SigningKey holds {bytes.Length} bytes; HS256 needs at least 32.");
        return bytes;
    }
}
