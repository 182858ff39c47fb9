using System.Text;
using System.Text.Json.Nodes;
using Bitcain.Contracts.Credentials;
using Bitcain.ServiceDefaults;
using Marten;
using Npgsql;
using Wolverine;
using Wolverine.Attributes;
using Wolverine.Runtime.Serialization;

namespace Bitcain.Credentials.ScrubbingSealedCommands;

/// <summary>
/// Store and update commands keep their sealed fields wherever Wolverine keeps the message: the inbox row retained
/// for de-duplication and the dead-letter row of a command that failed. The service's sealing key opens those boxes
/// as long as the master key lives, so a DELETE that shreds the data key would otherwise leave the secret readable
/// there. The scrubber nulls the sealed fields in place: the rows stay (a redelivery is still recognized, a dead
/// letter still says what failed) but hold nothing to open.
/// </summary>
public sealed class SealedCommandScrubber(IDocumentStore store, ILogger<SealedCommandScrubber> logger)
{
    private const string Schema = CredentialsServiceSetup.Schema + "_messages";
    private const string Inbox = Schema + ".wolverine_incoming_envelopes";
    private const string DeadLetters = Schema + ".wolverine_dead_letters";

    private static readonly string[] SealedCommandTypes =
        [BitcainMessaging.MessageName<StoreCredential>(), BitcainMessaging.MessageName<UpdateCredential>()];

    /// <summary>Every retained or dead-lettered command of this credential, whatever its age or state.</summary>
    public async Task<int> ScrubCredentialAsync(Guid credentialId, CancellationToken ct)
    {
        var scrubbed = 0;
        foreach (var table in new[] { Inbox, DeadLetters })
            scrubbed += await ScrubAsync(table, "", [], body => NamesCredential(body, credentialId), ct);
        return scrubbed;
    }

    /// <summary>
    /// The periodic bound: handled inbox rows at once (de-duplication needs the id, never the body), dead letters
    /// once they have failed longer ago than <paramref name="deadLetterGrace"/> (left for an operator to replay).
    /// </summary>
    public async Task<int> SweepAsync(DateTimeOffset now, TimeSpan deadLetterGrace, CancellationToken ct)
    {
        var handled = await ScrubAsync(Inbox, "AND status = 'Handled'", [], _ => true, ct);
        var cutoff = new NpgsqlParameter("cutoff", now - deadLetterGrace);
        var dead = await ScrubAsync(DeadLetters, "AND coalesce(failed_at, sent_at, execution_time) < @cutoff", [cutoff], _ => true, ct);
        return handled + dead;
    }

    private async Task<int> ScrubAsync(string table, string condition, NpgsqlParameter[] parameters, Func<string, bool> selects, CancellationToken ct)
    {
        await using var connection = store.Storage.Database.CreateConnection();
        await connection.OpenAsync(ct);
        var found = new List<(Guid Id, byte[] Body)>();
        await using (var select = new NpgsqlCommand($"SELECT id, body FROM {table} WHERE message_type = ANY(@types) {condition}", connection))
        {
            select.Parameters.AddWithValue("types", SealedCommandTypes);
            select.Parameters.AddRange(parameters);
            await using var reader = await select.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
                if (!await reader.IsDBNullAsync(1, ct)) found.Add((reader.GetGuid(0), (byte[])reader[1]));
        }

        var scrubbed = 0;
        foreach (var (id, body) in found)
        {
            if (Scrubbed(body, selects) is not { } clean) continue;
            await using var update = new NpgsqlCommand($"UPDATE {table} SET body = @body WHERE id = @id", connection);
            update.Parameters.AddWithValue("body", clean);
            update.Parameters.AddWithValue("id", id);
            scrubbed += await update.ExecuteNonQueryAsync(ct);
        }
        if (scrubbed > 0) logger.LogInformation("Scrubbed the sealed fields of {Count} retained credential command(s) in {Table}", scrubbed, table);
        return scrubbed;
    }

    private static bool NamesCredential(string message, Guid credentialId) =>
        message.Contains(credentialId.ToString("D"), StringComparison.OrdinalIgnoreCase)
        || message.Contains(credentialId.ToString("N"), StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// A stored row: Wolverine's serialized envelope (headers, then the message's JSON) or, as some paths store it,
    /// the message's JSON alone. Returns the message text and how to put a changed message back.
    /// </summary>
    public static (string Message, Func<string, byte[]> Store) Read(byte[] body)
    {
        Envelope? envelope = null;
        try { envelope = EnvelopeSerializer.Deserialize(body); }
        catch (Exception e) when (e is not OutOfMemoryException) { }
        if (envelope?.Data is { Length: > 0 } data)
            return (Encoding.UTF8.GetString(data).TrimStart('\uFEFF'), message =>
            {
                envelope.Data = Encoding.UTF8.GetBytes(message);
                return EnvelopeSerializer.Serialize(envelope);
            });
        return (Encoding.UTF8.GetString(body).TrimStart('\uFEFF'), Encoding.UTF8.GetBytes);
    }

    /// <summary>The row with every sealed box of its message nulled; null when it is not selected or has none left.</summary>
    private static byte[]? Scrubbed(byte[] body, Func<string, bool> selects)
    {
        var (text, store) = Read(body);
        if (!selects(text)) return null;
        JsonObject? message;
        try { message = JsonNode.Parse(text) as JsonObject; }
        catch (System.Text.Json.JsonException) { message = null; }
        // A message that is no JSON object cannot be read field by field; nothing of it is worth keeping.
        if (message is null) return text == Unreadable ? null : store(Unreadable);

        var changed = false;
        // Property names are matched as the bus deserializer matches them: without regard to case.
        foreach (var name in message.Select(p => p.Key).Where(k => k.Equals("sealed", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            if (message[name] is JsonObject boxes && boxes.All(b => b.Value is null)) continue;
            message[name] = new JsonObject { ["api_key"] = null, ["api_secret"] = null, ["api_passphrase"] = null };
            changed = true;
        }
        return changed ? store(message.ToJsonString()) : null;
    }

    private const string Unreadable = """{"scrubbed":"unreadable body"}""";
}

/// <summary>Sent by a DELETE, after it commits: scrub that credential's retained and dead-lettered commands.</summary>
[MessageIdentity("bitcain.credentials.scrub-credential-commands.v1")]
public sealed record ScrubCredentialCommands(Guid CredentialId);

public static class ScrubCredentialCommandsHandler
{
    public static Task Handle(ScrubCredentialCommands command, SealedCommandScrubber scrubber, CancellationToken ct) =>
        scrubber.ScrubCredentialAsync(command.CredentialId, ct);
}

/// <summary>
/// The bound for rows no DELETE names: at start and every <see cref="SweepMinutesSetting"/> minutes (default 5),
/// handled inbox rows and dead letters older than <see cref="RetentionHoursSetting"/> hours (default 24) lose their
/// sealed fields. Every instance sweeps; a sweep is idempotent.
/// </summary>
public sealed class SealedCommandSweep(SealedCommandScrubber scrubber, IConfiguration configuration, TimeProvider clock,
    ILogger<SealedCommandSweep> logger) : BackgroundService
{
    public const string RetentionHoursSetting = "Credentials:DeadLetterSecretsHours";
    public const string SweepMinutesSetting = "Credentials:SecretsSweepMinutes";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var grace = TimeSpan.FromHours(configuration.GetValue(RetentionHoursSetting, 24.0));
        var every = TimeSpan.FromMinutes(configuration.GetValue(SweepMinutesSetting, 5.0));
        using var timer = new PeriodicTimer(every, clock);
        do
        {
            try { await scrubber.SweepAsync(clock.GetUtcNow(), grace, stoppingToken); }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
            {
                // The very first start: Wolverine has not created its tables yet. The next sweep finds them.
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
                logger.LogWarning("Sweeping sealed fields from retained credential commands failed ({Error}); retrying in {Minutes} min",
                    e.GetType().Name, every.TotalMinutes);
            }
        } while (await timer.WaitForNextTickAsync(stoppingToken));
    }
}
