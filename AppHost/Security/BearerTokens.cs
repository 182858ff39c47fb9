using System.IdentityModel.Tokens.Jwt;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Bitcain.AppHost.Security;

/// <summary>
/// Mints the HS256 bearer tokens the gateway accepts in a local run, signed with Auth__SigningKey.
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

    /// <summary>The gateway (EdgeAuth in shared/Bitcain.Edge) uses the UTF-8 bytes of Auth:SigningKey as the HMAC key, so we do
    /// too; the generated key is base64 text of 48 random bytes, 64 bytes as UTF-8.</summary>
    public static byte[] KeyBytes(string signingKey)
    {
        var bytes = Encoding.UTF8.GetBytes(signingKey);
        if (bytes.Length < 32)
            throw new InvalidOperationException($"Auth__SigningKey holds {bytes.Length} bytes; HS256 needs at least 32.");
        return bytes;
    }
}
