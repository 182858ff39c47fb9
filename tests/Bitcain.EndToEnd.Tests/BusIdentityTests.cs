using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Bitcain.Contracts;
using Bitcain.ServiceDefaults.BusIdentity;
using Bitcain.Testing;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests;

/// <summary>
/// Someone with the broker's password and nothing else: every command and query of the bus contract, sent for
/// another user with a forged, missing, foreign, expired or copied assertion, is refused and changes nothing.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class BusIdentityTests(BitcainSuite suite) : IAsyncLifetime
{
    private IConnection _connection = null!;
    private IChannel _channel = null!;
    private string _replyQueue = null!;
    private readonly ConcurrentQueue<(string? CorrelationId, string? Type)> _replies = new();

    private string ReplyUri => $"rabbitmq://queue/{_replyQueue}";

    public async Task InitializeAsync()
    {
        _connection = await new ConnectionFactory { Uri = new Uri(suite.Infrastructure.RabbitMq) }.CreateConnectionAsync();
        _channel = await _connection.CreateChannelAsync();
        _replyQueue = (await _channel.QueueDeclareAsync("", durable: false, exclusive: true, autoDelete: true)).QueueName;
        var consumer = new AsyncEventingBasicConsumer(_channel);
        consumer.ReceivedAsync += (_, delivery) =>
        {
            _replies.Enqueue((delivery.BasicProperties.CorrelationId, delivery.BasicProperties.Type));
            return Task.CompletedTask;
        };
        await _channel.BasicConsumeAsync(_replyQueue, autoAck: true, consumer);
    }

    public async Task DisposeAsync()
    {
        await _channel.DisposeAsync();
        await _connection.DisposeAsync();
    }

    private sealed record Message(string Queue, string Type, string Body);

    private static IEnumerable<Message> EveryUserMessage(string credentialId) =>
    [
        new(BusTopology.CredentialCommands, "bitcain.credentials.store-credential.v1", JsonSerializer.Serialize(new
        {
            credential_id = Guid.NewGuid(), exchange_name = "kraken", credential_name = "Planted", api_key_masked = "AKIA****",
            has_passphrase = false, permissions = new[] { "read" }, ip_whitelist = Array.Empty<string>(), exchange_metadata = (object?)null,
            @sealed = new { api_key = "x", api_secret = "y", api_passphrase = (string?)null },
        })),
        new(BusTopology.CredentialCommands, "bitcain.credentials.update-credential.v1", JsonSerializer.Serialize(new
        {
            credential_id = credentialId, credential_name = "Hijacked",
            @sealed = new { api_key = (string?)null, api_secret = (string?)null, api_passphrase = (string?)null }, is_active = false,
        })),
        new(BusTopology.CredentialCommands, "bitcain.credentials.delete-credential.v1", JsonSerializer.Serialize(new { credential_id = credentialId })),
        new(BusTopology.SyncCommands, "bitcain.sync.sync-balances.v1", JsonSerializer.Serialize(new { exchange = "binance", credential_id = credentialId })),
        new(BusTopology.SyncCommands, "bitcain.sync.sync-trades.v1", JsonSerializer.Serialize(new { exchange = "binance", credential_id = credentialId, limit = 10 })),
        new(BusTopology.SyncCommands, "bitcain.sync.set-bnb-burn.v1", JsonSerializer.Serialize(new { exchange = "binance", spot_bnb_burn = true })),
        new(BusTopology.CredentialQueries, "bitcain.credentials.list-credentials.v1", JsonSerializer.Serialize(new { exchange_name = (string?)null })),
        new(BusTopology.SyncQueries, "bitcain.sync.get-trades.v1", JsonSerializer.Serialize(new { exchange = "binance", limit = 10, offset = 0 })),
    ];

    /// <summary>Each way of pretending, as a function of the message and the victim.</summary>
    private static IEnumerable<(string Forgery, Func<Guid, Message, string, (Guid MessageId, string? Assertion, string? User)> Make)> Forgeries()
    {
        var now = DateTimeOffset.UtcNow;
        var stranger = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var gateway = TestBusIdentities.KeyOf("gateway");
        yield return ("no assertion", (id, m, victim) => (id, null, victim));
        yield return ("the integration's own user, the victim in tenant-id", (id, m, victim) =>
            (id, Assertion(TestBusIdentities.IntegrationKey, TestBusIdentities.Integration, "mallory", id, m.Type, m.Body, now, now.AddMinutes(1)), victim));
        yield return ("signed by an unknown key in the gateway's name", (id, m, victim) =>
            (id, Assertion(stranger, "gateway", victim, id, m.Type, m.Body, now, now.AddMinutes(1)), victim));
        yield return ("expired", (id, m, victim) =>
            (id, Assertion(gateway, "gateway", victim, id, m.Type, m.Body, now.AddHours(-25), now.AddHours(-1)), victim));
        yield return ("copied onto another body", (id, m, victim) =>
            (id, Assertion(gateway, "gateway", victim, id, m.Type, m.Body + " ", now, now.AddMinutes(1)), victim));
        yield return ("copied from another message id", (id, m, victim) =>
            (id, Assertion(gateway, "gateway", victim, Guid.NewGuid(), m.Type, m.Body, now, now.AddMinutes(1)), victim));
    }

    private static string Assertion(ECDsa key, string issuer, string? user, Guid messageId, string type, string body, DateTimeOffset issued, DateTimeOffset expires) =>
        BusAssertion.Sign(new BusClaims(issuer, user, messageId.ToString(), type, BusAssertion.BodyHash(Encoding.UTF8.GetBytes(body)), null,
            issued.ToUnixTimeSeconds(), expires.ToUnixTimeSeconds()), key);

    private async Task PublishAsync(Message message, Guid messageId, string? assertion, string? user, string? replyUri = null, string? correlationId = null)
    {
        var headers = new Dictionary<string, object?>();
        if (user is not null) headers[BusTopology.UserHeader] = user;
        if (assertion is not null) headers[BusAssertion.Header] = assertion;
        if (replyUri is not null) headers["reply-uri"] = replyUri;
        var properties = new BasicProperties
        {
            ContentType = "application/json", Persistent = true, MessageId = messageId.ToString(), Type = message.Type,
            CorrelationId = correlationId, Headers = headers,
        };
        await _channel.BasicPublishAsync("", message.Queue, mandatory: true, properties, Encoding.UTF8.GetBytes(message.Body));
    }

    [Fact]
    public async Task forged_identities_are_refused_for_every_command_and_query_and_change_nothing()
    {
        var victim = "victim-" + Guid.NewGuid().ToString("N")[..8];
        var api = new ApiClient(suite.Gateway, TestTokens.For(victim));
        var (status, created, _) = await api.PostAsync("/api/exchange/credentials", ApiClient.NewCredential());
        status.ShouldBe(201);
        var credentialId = created!["id"]!.GetValue<string>();

        var sent = new List<(Guid Id, string What)>();
        foreach (var message in EveryUserMessage(credentialId))
        foreach (var (forgery, make) in Forgeries())
        {
            var (messageId, assertion, user) = make(Guid.NewGuid(), message, victim);
            var sentId = Guid.NewGuid();
            // The id on the wire is the one the assertion was made for, except where the forgery is a copied one.
            var wireId = forgery == "copied from another message id" ? sentId : messageId;
            await PublishAsync(message, wireId, assertion, user, replyUri: ReplyUri, correlationId: wireId.ToString());
            sent.Add((wireId, $"{message.Type} ({forgery})"));
        }

        await WaitUntilAsync(() => sent.All(s => Refused(s.Id)), TimeSpan.FromSeconds(60),
            () => "not refused: " + string.Join(", ", sent.Where(s => !Refused(s.Id)).Select(s => s.What)));

        _replies.ShouldBeEmpty();
        var (_, detail, _) = await api.GetAsync($"/api/exchange/credentials/{credentialId}");
        detail!["credential_name"]!.GetValue<string>().ShouldBe("Main");
        detail["is_active"]!.GetValue<bool>().ShouldBeTrue();
        var (_, list, _) = await api.GetAsync("/api/exchange/credentials");
        list!["credentials"]!.AsArray().Count.ShouldBe(1);
        // The store's own background validation may add its verdict; nothing else may appear.
        (await EventCountAsync("credentials", victim, "credential_validated.v1", "credential_validation_failed.v1")).ShouldBe(1);
        (await EventCountAsync("sync", victim)).ShouldBe(0);
        suite.Logs.Lines.ShouldNotContain(line => line.Contains("eyJhbGciOiJFUzI1NiIs"), "an assertion reached the log");
    }

    [Fact]
    public async Task a_copied_query_cannot_have_its_answer_sent_elsewhere()
    {
        var user = "reader-" + Guid.NewGuid().ToString("N")[..8];
        var query = new Message(BusTopology.CredentialQueries, "bitcain.credentials.list-credentials.v1", """{"exchange_name":null}""");
        var id = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        var claims = new BusClaims("gateway", user, id.ToString(), query.Type, BusAssertion.BodyHash(Encoding.UTF8.GetBytes(query.Body)),
            "rabbitmq://queue/wolverine.response.the-gateways-own", now.ToUnixTimeSeconds(), now.AddMinutes(1).ToUnixTimeSeconds());
        await PublishAsync(query, id, BusAssertion.Sign(claims, TestBusIdentities.KeyOf("gateway")), user, ReplyUri, id.ToString());
        await WaitUntilAsync(() => Refused(id), TimeSpan.FromSeconds(20), () => "the redirected query was not refused");
        RefusalsOf(id).ShouldContain("another reply address");
        _replies.ShouldBeEmpty();
    }

    [Fact]
    public async Task an_integration_with_its_own_key_acts_within_what_it_is_trusted_for()
    {
        var user = "office-" + Guid.NewGuid().ToString("N")[..8];
        var api = new ApiClient(suite.Gateway, TestTokens.For(user));
        var (_, created, _) = await api.PostAsync("/api/exchange/credentials", ApiClient.NewCredential(exchange: "kraken"));
        var credentialId = created!["id"]!.GetValue<string>();

        // Exactly the README's example: the integration signs its own message for the user it acts for.
        var update = new Message(BusTopology.CredentialCommands, "bitcain.credentials.update-credential.v1", JsonSerializer.Serialize(new
        {
            credential_id = credentialId, credential_name = "Renamed by the back office",
            @sealed = new { api_key = (string?)null, api_secret = (string?)null, api_passphrase = (string?)null }, is_active = (bool?)null,
        }));
        var id = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await PublishAsync(update, id, Assertion(TestBusIdentities.IntegrationKey, TestBusIdentities.Integration, user, id, update.Type, update.Body,
            now, now.AddHours(1)), user);
        await WaitUntilAsync(async () => (await api.GetAsync($"/api/exchange/credentials/{credentialId}")).Body?["credential_name"]?.GetValue<string>()
            == "Renamed by the back office", TimeSpan.FromSeconds(20), () => "the integration's update was not applied; " + RefusalsOf(id));

        // Outside what it is trusted for: a sync command.
        var sync = new Message(BusTopology.SyncCommands, "bitcain.sync.set-bnb-burn.v1", """{"exchange":"binance","spot_bnb_burn":true}""");
        var syncId = Guid.NewGuid();
        await PublishAsync(sync, syncId, Assertion(TestBusIdentities.IntegrationKey, TestBusIdentities.Integration, user, syncId, sync.Type, sync.Body,
            now, now.AddHours(1)), user);
        await WaitUntilAsync(() => Refused(syncId), TimeSpan.FromSeconds(20), () => "the integration's sync command was not refused");
        (await EventCountAsync("sync", user)).ShouldBe(0);
    }

    [Fact]
    public void an_assertion_that_would_outlive_a_command_is_refused()
    {
        var key = TestBusIdentities.IntegrationKey;
        var trusted = new Dictionary<string, TrustedSigner> { ["office"] = new("office", key, ["*"], ["*"]) };
        var id = Guid.NewGuid();
        var body = "{}"u8.ToArray();
        var now = DateTimeOffset.UtcNow;
        var forever = BusAssertion.Sign(new BusClaims("office", "alice", id.ToString(), "t", BusAssertion.BodyHash(body), null,
            now.ToUnixTimeSeconds(), now.AddDays(365).ToUnixTimeSeconds()), key);
        BusVerification.Refusal(new ReceivedMessage(forever, id, "t", body, null, "alice"), trusted, now).ShouldNotBeNull();
        var fine = BusAssertion.Sign(new BusClaims("office", "alice", id.ToString(), "t", BusAssertion.BodyHash(body), null,
            now.ToUnixTimeSeconds(), now.AddHours(1).ToUnixTimeSeconds()), key);
        BusVerification.Refusal(new ReceivedMessage(fine, id, "t", body, null, "alice"), trusted, now).ShouldBeNull();
        BusVerification.Refusal(new ReceivedMessage(fine, id, "t", body, null, "bob"), trusted, now).ShouldNotBeNull();
    }

    [Fact]
    public void a_command_read_back_from_the_durable_inbox_keeps_its_signed_reply_address_and_no_other()
    {
        // A killed instance's inbox rows come back without the reply-uri header: Wolverine stores it as a property.
        var key = TestBusIdentities.IntegrationKey;
        var trusted = new Dictionary<string, TrustedSigner> { ["office"] = new("office", key, ["*"], ["*"]) };
        var id = Guid.NewGuid();
        var body = "{}"u8.ToArray();
        var now = DateTimeOffset.UtcNow;
        const string reply = "rabbitmq://queue/wolverine.response.gateway-1";
        var signed = BusAssertion.Sign(new BusClaims("office", "alice", id.ToString(), "t", BusAssertion.BodyHash(body), reply,
            now.ToUnixTimeSeconds(), now.AddHours(1).ToUnixTimeSeconds()), key);
        BusVerification.Refusal(new ReceivedMessage(signed, id, "t", body, reply, "alice"), trusted, now).ShouldBeNull();
        BusVerification.Refusal(new ReceivedMessage(signed, id, "t", body, null, "alice", reply), trusted, now).ShouldBeNull("read back from the inbox");
        BusVerification.Refusal(new ReceivedMessage(signed, id, "t", body, null, "alice", "rabbitmq://queue/thief"), trusted, now).ShouldNotBeNull();
        BusVerification.Refusal(new ReceivedMessage(signed, id, "t", body, "rabbitmq://queue/thief", "alice", reply), trusted, now).ShouldNotBeNull();

        // A command signed with no reply address gets Wolverine's default on receipt, live or read back.
        var noReply = BusAssertion.Sign(new BusClaims("office", "alice", id.ToString(), "t", BusAssertion.BodyHash(body), null,
            now.ToUnixTimeSeconds(), now.AddHours(1).ToUnixTimeSeconds()), key);
        BusVerification.Refusal(new ReceivedMessage(noReply, id, "t", body, null, "alice", "rabbitmq://queue/bitcain.sync.commands"), trusted, now).ShouldBeNull();
        BusVerification.Refusal(new ReceivedMessage(noReply, id, "t", body, "rabbitmq://queue/thief", "alice"), trusted, now).ShouldNotBeNull();
    }

    private string RefusalsOf(Guid messageId) =>
        string.Join(" | ", suite.Logs.Lines.Where(line => line.Contains(messageId.ToString())));

    private bool Refused(Guid messageId) =>
        suite.Logs.Lines.Any(line => line.Contains("Refused") && line.Contains(messageId.ToString()));

    private async Task<long> EventCountAsync(string schema, string user, params string[] except)
    {
        await using var connection = new NpgsqlConnection(suite.Infrastructure.Postgres);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"select count(*) from {schema}.mt_events where tenant_id = @user and not (type = any(@except))", connection);
        command.Parameters.AddWithValue("user", user);
        command.Parameters.AddWithValue("except", except);
        return (long)(await command.ExecuteScalarAsync())!;
    }

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> failure) =>
        WaitUntilAsync(() => Task.FromResult(condition()), timeout, failure);

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> failure)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new Xunit.Sdk.XunitException(failure());
            await Task.Delay(200);
        }
    }
}
