using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Bitcain.LocalServers;

/// <summary>
/// One RabbitMQ user per service, each allowed only what its Wolverine endpoints do: configure what it declares
/// (AutoProvision declares every queue it listens to or sends to, the events exchange, its own reply queue and
/// the dead-letter queue), write where it publishes, read what it consumes. The clusters get the same table from
/// <c>ops/cluster/k8s/rabbitmq/definitions.json</c> (BrokerPermissionTests keeps the two equal).
/// </summary>
/// <remarks>
/// Publishing to a queue by name goes through the default exchange (<c>amq.default</c>), and RabbitMQ checks
/// a publish against the exchange only: whoever may write to <c>amq.default</c> may route to any queue. What
/// keeps a gateway from taking a service's commands is the read permission (basic.consume), and what keeps it
/// from deleting them is that it may configure only its reply queues.
/// </remarks>
public sealed record BrokerUser(string Name, string Configure, string Write, string Read, string Tags = "")
{
    /// <summary>Full rights and the administrator tag: operators and test fixtures. No service uses it.</summary>
    public const string AdministratorName = "bitcain-admin";

    /// <summary>The user a service of <paramref name="service"/> (credentials, sync, market, gateway) logs in as.</summary>
    public static string ForService(string service) => $"bitcain-{service}";

    // Every Wolverine node listens to its own reply queue, wolverine.response.<random node id>, and declares it. The
    // name carries no service, so the pattern is shared: what keeps one node off another's replies is that the
    // id is random and listing queues takes the administrator. A service declares the dead-letter exchange and
    // queue (same name) and binds them (read on the exchange, write on the queue), and its queues name that
    // exchange as their x-dead-letter-exchange (write on it).
    private const string Replies = @"wolverine\.response\..*";
    private const string DeadLetters = "wolverine-dead-letter-queue";
    private const string Events = @"bitcain\.events";
    private const string DefaultExchange = @"amq\.default";

    public static BrokerUser Administrator { get; } = new(AdministratorName, ".*", ".*", ".*", "administrator");

    // The gateway declares only its reply queue (GatewayMessaging marks the services' queues and the events exchange
    // as theirs) and keeps no dead letters, so it may create nothing else, delete nothing, and read only replies.
    public static BrokerUser Gateway { get; } = new(
        ForService("gateway"),
        Configure: Any(Replies),
        Write: Any(DefaultExchange),
        Read: Any(Replies));

    public static BrokerUser Credentials { get; } = new(
        ForService("credentials"),
        Configure: Any(@"bitcain\.credentials\.(commands|queries)", Events, Replies, DeadLetters),
        Write: Any(DefaultExchange, Events, DeadLetters),
        Read: Any(@"bitcain\.credentials\.(commands|queries)", Replies, DeadLetters));

    // Sync also asks the credential service (its queues are declared as destinations) and, with scheduled syncs on,
    // binds its own queue to the events exchange (write on the queue, read on the exchange).
    public static BrokerUser Sync { get; } = new(
        ForService("sync"),
        Configure: Any(@"bitcain\.sync\.(commands|queries|credential-events)", @"bitcain\.credentials\.(commands|queries)", Events, Replies, DeadLetters),
        Write: Any(DefaultExchange, Events, DeadLetters, @"bitcain\.sync\.credential-events"),
        Read: Any(@"bitcain\.sync\.(commands|queries|credential-events)", Events, Replies, DeadLetters));

    public static BrokerUser Market { get; } = new(
        ForService("market"),
        Configure: Any(@"bitcain\.market\.(commands|queries)", Events, Replies, DeadLetters),
        Write: Any(DefaultExchange, DeadLetters),
        Read: Any(@"bitcain\.market\.(commands|queries)", Replies, DeadLetters));

    /// <summary>Another system: sends commands by name, and reads only its own queue(s), <c>bitcain.integration.&lt;name&gt;.*</c>,
    /// which it declares and binds to the events exchange.</summary>
    public static BrokerUser Integration(string name)
    {
        var own = $@"bitcain\.integration\.{System.Text.RegularExpressions.Regex.Escape(name)}\..*";
        return new BrokerUser($"bitcain-integration-{name}", Configure: Any(own), Write: Any(DefaultExchange, own), Read: Any(own, Events));
    }

    /// <summary>The users of a Bitcain broker, the example integration included.</summary>
    public static IReadOnlyList<BrokerUser> All { get; } = [Administrator, Gateway, Credentials, Sync, Market, Integration("example")];

    private static string Any(params string[] alternatives) => $"^({string.Join('|', alternatives)})$";

    /// <summary>A RabbitMQ definitions document (users, the default vhost, permissions) for these users and their
    /// passwords: the hashes RabbitMQ itself stores (salted SHA-256), so the file holds no password in clear.</summary>
    public static string Definitions(IEnumerable<(BrokerUser User, string Password)> users)
    {
        var list = users.ToList();
        var document = new JsonObject
        {
            ["users"] = new JsonArray(list.Select(u => (JsonNode)new JsonObject
            {
                ["name"] = u.User.Name,
                ["password_hash"] = PasswordHash(u.Password),
                ["hashing_algorithm"] = "rabbit_password_hashing_sha256",
                ["tags"] = u.User.Tags,
            }).ToArray()),
            ["vhosts"] = new JsonArray(new JsonObject { ["name"] = "/" }),
            ["permissions"] = new JsonArray(list.Select(u => (JsonNode)new JsonObject
            {
                ["user"] = u.User.Name,
                ["vhost"] = "/",
                ["configure"] = u.User.Configure,
                ["write"] = u.User.Write,
                ["read"] = u.User.Read,
            }).ToArray()),
        };
        return document.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>rabbit_password_hashing_sha256: base64(salt ‖ SHA-256(salt ‖ UTF-8 password)), a 4-byte salt.</summary>
    public static string PasswordHash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(4);
        var hash = SHA256.HashData([.. salt, .. Encoding.UTF8.GetBytes(password)]);
        return Convert.ToBase64String([.. salt, .. hash]);
    }
}
