using System.Text.Json;
using Bitcain.Contracts;
using Bitcain.Contracts.Sync;
using Bitcain.ServiceDefaults;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Wolverine;
using Wolverine.Runtime;
using Xunit;

namespace Bitcain.Sync.Tests;

/// <summary>
/// One middleware (UserCheck) refuses every <see cref="IUserMessage"/> the sync service handles that names no user; a
/// message of another user reaches only that user's tenant and credentials. The types come from the handlers, so a new
/// one without a sample here fails.
/// </summary>
[Collection(SyncCollection.Name)]
public sealed class UserCheckTests(SyncSuite sync)
{
    private static readonly Dictionary<Type, Func<Guid, object>> Samples = new()
    {
        [typeof(SyncBalances)] = id => new SyncBalances("binance", id),
        [typeof(SyncTrades)] = id => new SyncTrades("binance", id, "BTC/USDT", null, 100),
        [typeof(SetBnbBurn)] = _ => new SetBnbBurn("binance", true),
        [typeof(ScheduledBalanceSync)] = id => new ScheduledBalanceSync(id, "binance", 60),
        [typeof(GetBnbBurn)] = _ => new GetBnbBurn("binance"),
        [typeof(GetDustAssets)] = _ => new GetDustAssets("binance"),
        [typeof(GetBalances)] = id => new GetBalances("binance", null, id),
        [typeof(GetBalanceHistory)] = _ => new GetBalanceHistory("binance", "BTC", null, null, 100),
        [typeof(GetTrades)] = _ => new GetTrades("binance", null, null, null, 100, 0),
        [typeof(GetTradeStats)] = _ => new GetTradeStats(null, null, null),
        [typeof(GetSyncStatus)] = _ => new GetSyncStatus(null),
        [typeof(GetSyncAuditEvents)] = id => new GetSyncAuditEvents(new AuditFilter(null, id, null, null, 100, 0)),
    };

    private IReadOnlyList<Type> UserMessagesHandled() => ((WolverineRuntime)sync.Suite.Sync.Services.GetRequiredService<IWolverineRuntime>())
        .Handlers.Chains.Select(c => c.MessageType).Where(typeof(IUserMessage).IsAssignableFrom).ToList();

    [Fact]
    public void every_user_message_the_service_handles_has_a_sample_here()
    {
        var handled = UserMessagesHandled();
        handled.Where(t => !Samples.ContainsKey(t)).ShouldBeEmpty("a user message without a sample escapes the user check test");
        Samples.Keys.Where(t => !handled.Contains(t)).ShouldBeEmpty("a sample of a message the service does not handle (or not as a user message)");
    }

    [Fact]
    public async Task every_user_message_without_a_user_is_refused_and_another_users_touch_nothing_of_the_first_users_account()
    {
        var owner = new User(sync);
        var credential = await owner.ConnectAsync(sync.Simulator.Account("binance", "readonly"));
        (await owner.PostAsync("/api/exchange/balance/sync?exchange=binance")).Body["success"]!.GetValue<bool>().ShouldBeTrue();
        var events = await EventCountAsync(owner.Id);
        var stranger = new User(sync);
        var refusals = sync.Suite.Sync.Services.GetRequiredService<IMissingUserReplies>();
        using var scope = sync.Suite.Sync.Services.CreateScope();
        var bus = scope.ServiceProvider.GetRequiredService<IMessageBus>();
        var wait = TimeSpan.FromSeconds(30);

        foreach (var type in UserMessagesHandled())
        {
            var message = Samples[type](credential);
            if (refusals.For(message) is { } refusal)
            {
                var reply = await bus.InvokeAsync<object>(message, default, wait);
                reply.GetType().ShouldBe(refusal.GetType(), $"{type.Name} without a user");
                // A sync's refusal is stamped with the time; the rest are the same reply to the byte.
                var missing = Json(UserCheck.MissingUser).Trim('"');
                if (Json(refusal).Contains(missing)) Json(reply).ShouldContain(missing, Case.Sensitive, $"{type.Name} without a user");
                else Json(reply).ShouldBe(Json(refusal), $"{type.Name} without a user");
                var strangers = Json(await bus.InvokeForTenantAsync<object>(stranger.Id, message, default, wait));
                strangers.ShouldNotContain("\"success\":true", Case.Insensitive, $"{type.Name} for another user");
                strangers.ShouldNotContain("\"outcome\":\"ok\"", Case.Insensitive, $"{type.Name} for another user");
                strangers.ShouldNotContain("\"currency\":", Case.Insensitive, $"{type.Name} for another user showed a balance");
            }
            else
            {
                await bus.InvokeAsync(message, default, wait);
                await bus.InvokeForTenantAsync(stranger.Id, message, default, wait);
            }
        }

        (await EventCountAsync(owner.Id)).ShouldBe(events, "no message of another user, or of no user, appended to the owner's account");
        (await EventCountAsync(stranger.Id)).ShouldBe(0, "the stranger has no account to append to");
    }

    private async Task<long> EventCountAsync(string user)
    {
        await using var conn = new Npgsql.NpgsqlConnection(sync.Suite.Infrastructure.Postgres);
        await conn.OpenAsync();
        await using var cmd = new Npgsql.NpgsqlCommand("SELECT count(*) FROM sync.mt_events WHERE tenant_id = $1", conn) { Parameters = { new() { Value = user } } };
        return (long)(await cmd.ExecuteScalarAsync())!;
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType(), BitcainMessaging.JsonOptions);
}
