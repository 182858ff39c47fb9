using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Bitcain.Secrets;
using Bitcain.ServiceDefaults.BusIdentity;
using Bitcain.Testing;

namespace Bitcain.Bench;

/// <summary>
/// The cryptography a store pays, measured alone on one thread with the suite's own code: sealing the key and secret
/// at the gateway, opening them in the credentials service, encrypting them under a fresh data key wrapped by the
/// master key, and the ES256 assertion each message carries (signed by its sender, verified by its receiver). The
/// rest of a store's time is the bus and the database.
/// </summary>
public static class CommandCrypto
{
    public sealed record Costs(double SealMs, double SealImportingMs, double OpenMs, double VaultMs, double AssertionMs)
    {
        /// <summary>Sealing each field with its own ephemeral key, and opening each alone (the store before SealAll).</summary>
        public double SealPerFieldMs { get; init; }
        public double OpenPerFieldMs { get; init; }
    }

    public static Costs Measure(int rounds = 400)
    {
        var vault = new CredentialVault(MasterKey.Parse(BitcainSuite.TestMasterKey, "bench"));
        var publicKey = vault.SealingKey.PublicKey;
        using var signer = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var body = Encoding.UTF8.GetBytes(new string('x', 600));

        string box1 = "", box2 = "";
        (string, string)[] contexts = [(SealingContext.For("bench-user", "api_key"), SealingContext.For("bench-user", "api_secret"))];
        // As the gateway seals: the pinned key imported once, one ephemeral key for the request's fields.
        using var recipient = new SealingRecipient(publicKey);
        var seal = Time(rounds, () =>
        {
            var boxes = SealedBox.SealAll(recipient, [("benchkey-0123456789", contexts[0].Item1), ("benchsecret-0123456789", contexts[0].Item2)]);
            (box1, box2) = (boxes[0]!, boxes[1]!);
        });
        var open = Time(rounds, () => vault.SealingKey.OpenAll([(box1, contexts[0].Item1), (box2, contexts[0].Item2)]));
        // As it sealed before: an ephemeral key per field, each box opened alone.
        var sealPerField = Time(rounds, () =>
        {
            box1 = SealedBox.Seal(recipient, "benchkey-0123456789", SealingContext.For("bench-user", "api_key"));
            box2 = SealedBox.Seal(recipient, "benchsecret-0123456789", SealingContext.For("bench-user", "api_secret"));
        });
        // As it sealed before: the key imported again for every box.
        var sealImporting = Time(rounds, () =>
        {
            SealedBox.Seal(publicKey, "benchkey-0123456789", SealingContext.For("bench-user", "api_key"));
            SealedBox.Seal(publicKey, "benchsecret-0123456789", SealingContext.For("bench-user", "api_secret"));
        });
        var openPerField = Time(rounds, () =>
        {
            vault.SealingKey.Open(box1, SealingContext.For("bench-user", "api_key"));
            vault.SealingKey.Open(box2, SealingContext.For("bench-user", "api_secret"));
        });
        var store = Time(rounds, () => vault.SealNew(Guid.CreateVersion7(), new SecretMaterial("benchkey-0123456789", "benchsecret-0123456789", null)));
        var assertion = Time(rounds, () =>
        {
            var claims = new BusClaims("gateway", "bench-user", Guid.NewGuid().ToString(), "bitcain.credentials.store-credential.v1",
                BusAssertion.BodyHash(body), "rabbitmq://queue/wolverine.response.x", 0, 60);
            if (!BusAssertion.HasValidSignature(BusAssertion.Sign(claims, signer), signer)) throw new InvalidOperationException("assertion");
        });
        var costs = new Costs(seal, sealImporting, open, store, assertion) { SealPerFieldMs = sealPerField, OpenPerFieldMs = openPerField };
        Console.WriteLine($"bench: crypto per store, one thread: seal key+secret {seal:0.000} ms (gateway; {sealPerField:0.000} ms with a key per field, {sealImporting:0.000} ms importing the key per box), " +
                          $"open both {open:0.000} ms ({openPerField:0.000} ms one by one), " +
                          $"data key + AES-GCM {store:0.000} ms (credentials), ES256 sign+verify {assertion:0.000} ms per message");
        return costs;
    }

    private static double Time(int rounds, Action action)
    {
        for (var i = 0; i < 50; i++) action();
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < rounds; i++) action();
        return clock.Elapsed.TotalMilliseconds / rounds;
    }
}
