using System.Diagnostics.CodeAnalysis;
using Bitcain.Contracts.Credentials;
using Bitcain.Exchanges;

namespace Bitcain.Gateway.Api;

/// <summary>
/// A name of one of the catalog's exchanges, any case, aliases allowed: a query parameter gets the exchange itself, a
/// body field its id (what the credential commands carry). The message is the shared credential rules' (a service
/// refusing a bus command says the same).
/// </summary>
public sealed class ExchangeName : IValueRule<ExchangeDescriptor>, IValueRule<string>
{
    public IReadOnlyList<string>? Examples { get; } = ExchangeCatalog.Ids.ToList();

    public bool TryRead(string raw, [MaybeNullWhen(false)] out ExchangeDescriptor value, out string message)
    {
        var known = ExchangeCatalog.TryResolve(raw, out value);
        message = known ? "" : CredentialRules.UnknownExchange(raw);
        return known;
    }

    public bool TryRead(string raw, [MaybeNullWhen(false)] out string value, out string message)
    {
        value = TryRead(raw, out ExchangeDescriptor? exchange, out message) ? exchange.Id : null;
        return value is not null;
    }
}

/// <summary>An IPv4/IPv6 address or CIDR range (an IP whitelist's entry), kept trimmed.</summary>
public sealed class AddressOrRange : IValueRule<string>
{
    public bool TryRead(string raw, [MaybeNullWhen(false)] out string value, out string message)
    {
        var ok = CredentialRules.IsAddressOrRange(raw.Trim());
        value = ok ? raw.Trim() : null;
        message = ok ? "" : CredentialRules.InvalidAddress(raw);
        return ok;
    }
}
