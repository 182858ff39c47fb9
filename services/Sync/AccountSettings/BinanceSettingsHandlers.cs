using Bitcain.Contracts.Sync;
using Bitcain.Exchanges;
using Bitcain.Sync.Account;
using Bitcain.ServiceDefaults;
using Wolverine;

namespace Bitcain.Sync.AccountSettings;

public static class BinanceSettings
{
    public static readonly IReadOnlyList<string> Exchanges = ["binance", "binanceus"];

    /// <summary>Null when the exchange can do it; else the 400 detail.</summary>
    public static string? Refusal(string exchange, IExchangeClient? client, ExchangeCapabilities capability, string what)
    {
        if (!Exchanges.Contains(exchange))
            return $"{what} is a Binance account setting: exchange must be binance or binanceus, not {exchange}";
        if (client is null || !client.Capabilities.HasFlag(capability))
            return capability == ExchangeCapabilities.BnbBurn
                ? $"{exchange} offers no BNB-burn API (Binance.US has no spot BNB fee-burn endpoint); use exchange=binance"
                : $"{exchange} offers no {what} API";
        return null;
    }

    public static BnbBurnReply BnbFailure(AccountSettingOutcome outcome, string detail, string? errorType = null) => new(outcome, false, false, detail, errorType);

    public static DustAssetsReply DustFailure(AccountSettingOutcome outcome, string detail, string? errorType = null) => new(outcome, [], null, null, detail, errorType);
}

public static class BinanceSettingsHandler
{
    public static async Task<BnbBurnReply> Handle(GetBnbBurn query, Envelope envelope, IMessageBus bus, ExchangeAccounts accounts, IExchangeClients clients, CancellationToken ct)
    {
        var user = UserCheck.Checked(envelope);
        clients.TryGet(query.Exchange, out var client);
        if (BinanceSettings.Refusal(query.Exchange, client, ExchangeCapabilities.BnbBurn, "BNB burn") is { } refusal)
            return BinanceSettings.BnbFailure(AccountSettingOutcome.Unsupported, refusal);
        var account = await accounts.OpenAsync(bus, user, query.Exchange, null, ct);
        if (account is null) return BinanceSettings.BnbFailure(AccountSettingOutcome.NoCredentials, $"No active credentials for {query.Exchange}", "no_credentials");
        try
        {
            var settings = await ((IBnbBurnAccount)client).GetBnbBurnAsync(account.Credentials, ct);
            await accounts.RecordUseAsync(bus, user, account.CredentialId, null);
            return new BnbBurnReply(AccountSettingOutcome.Ok, settings.SpotBnbBurn, settings.InterestBnbBurn, null, null);
        }
        catch (ExchangeException e)
        {
            await accounts.RecordUseAsync(bus, user, account.CredentialId, e);
            return BinanceSettings.BnbFailure(AccountSettingOutcome.ExchangeFailed, e.Message, e.ErrorTypeName);
        }
    }

    /// <summary>The exchange changes the setting; the account's stream records what it confirmed
    /// (<see cref="RecordBnbBurnChangeHandler"/>, in process, so the answer leaves after the commit). A refusal writes
    /// nothing to the stream: only the credential's use is recorded.</summary>
    public static async Task<BnbBurnReply> Handle(SetBnbBurn command, Envelope envelope, IMessageBus bus, ExchangeAccounts accounts,
        IExchangeClients clients, TimeProvider clock, CancellationToken ct)
    {
        var user = UserCheck.Checked(envelope);
        clients.TryGet(command.Exchange, out var client);
        if (BinanceSettings.Refusal(command.Exchange, client, ExchangeCapabilities.BnbBurn, "BNB burn") is { } refusal)
            return BinanceSettings.BnbFailure(AccountSettingOutcome.Unsupported, refusal);
        var account = await accounts.OpenAsync(bus, user, command.Exchange, null, ct);
        if (account is null) return BinanceSettings.BnbFailure(AccountSettingOutcome.NoCredentials, $"No active credentials for {command.Exchange}", "no_credentials");
        BnbBurnSettings settings;
        try
        {
            settings = await ((IBnbBurnAccount)client).SetSpotBnbBurnAsync(account.Credentials, command.SpotBnbBurn, ct);
        }
        catch (ExchangeException e)
        {
            await accounts.RecordUseAsync(bus, user, account.CredentialId, e);
            return BinanceSettings.BnbFailure(AccountSettingOutcome.ExchangeFailed, e.Message, e.ErrorTypeName);
        }
        return await bus.InvokeForTenantAsync<BnbBurnReply>(user,
            new RecordBnbBurnChange(account.CredentialId, command.Exchange, settings.SpotBnbBurn, settings.InterestBnbBurn, clock.GetUtcNow()) { Delivery = envelope }, ct,
            AccountStream.RecordTimeout);
    }

    public static async Task<DustAssetsReply> Handle(GetDustAssets query, Envelope envelope, IMessageBus bus, ExchangeAccounts accounts, IExchangeClients clients, CancellationToken ct)
    {
        var user = UserCheck.Checked(envelope);
        clients.TryGet(query.Exchange, out var client);
        if (BinanceSettings.Refusal(query.Exchange, client, ExchangeCapabilities.DustAssets, "dust conversion") is { } refusal)
            return BinanceSettings.DustFailure(AccountSettingOutcome.Unsupported, refusal);
        var account = await accounts.OpenAsync(bus, user, query.Exchange, null, ct);
        if (account is null) return BinanceSettings.DustFailure(AccountSettingOutcome.NoCredentials, $"No active credentials for {query.Exchange}", "no_credentials");
        try
        {
            var dust = await ((IDustAssetsAccount)client).GetDustAssetsAsync(account.Credentials, ct);
            await accounts.RecordUseAsync(bus, user, account.CredentialId, null);
            return new DustAssetsReply(AccountSettingOutcome.Ok, dust.Assets.Select(a => new DustAssetItem(a.Asset, a.Free, a.ToBtc, a.ToBnb)).ToList(),
                dust.TotalToBtc, dust.TotalToBnb, null, null);
        }
        catch (ExchangeException e)
        {
            await accounts.RecordUseAsync(bus, user, account.CredentialId, e);
            return BinanceSettings.DustFailure(AccountSettingOutcome.ExchangeFailed, e.Message, e.ErrorTypeName);
        }
    }
}
