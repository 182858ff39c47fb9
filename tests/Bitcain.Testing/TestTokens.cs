using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Bitcain.Testing;

/// <summary>Mints HS256 tokens the way another system would (README: "minting a token").</summary>
public static class TestTokens
{
    public const string SigningKey = "bitcain-test-signing-key-0123456789-abcdef";

    public static string For(string userId, string key = SigningKey, string issuer = "bitcain", string audience = "bitcain-api",
        DateTime? expires = null, DateTime? notBefore = null)
    {
        var now = DateTime.UtcNow;
        var handler = new JwtSecurityTokenHandler();
        var token = handler.CreateJwtSecurityToken(
            issuer, audience, new ClaimsIdentity([new Claim("sub", userId)]),
            notBefore ?? now.AddMinutes(-5), expires ?? now.AddHours(1), now.AddMinutes(-5),
            new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256));
        return handler.WriteToken(token);
    }
}
