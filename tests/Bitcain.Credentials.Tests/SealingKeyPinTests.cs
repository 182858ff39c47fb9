using System.Security.Cryptography;
using System.Text.Json;
using Bitcain.Contracts;
using Bitcain.Contracts.Credentials;
using Bitcain.Credentials.Sealing;
using Bitcain.Gateway.Api;
using Bitcain.Secrets;
using Bitcain.ServiceDefaults;
using Bitcain.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Shouldly;
using Wolverine;
using Wolverine.RabbitMQ;
using Wolverine.Tracking;
using Xunit;

namespace Bitcain.Credentials.Tests;

[Collection(CredentialsCollection.Name)]
public sealed class SealingKeyPinTests(CredentialsFixture fixture)
{
    private static string Spki(AsymmetricAlgorithm key) => Convert.ToBase64String(key.ExportSubjectPublicKeyInfo());

    [Fact]
    public void the_pin_accepts_the_services_key_in_hex_or_base64_and_no_other_key_or_curve()
    {
        var real = ServiceSealingKey.DeriveFrom(MasterKey.Parse(BitcainSuite.TestMasterKey, "test")).PublicKey;
        var hex = SealingKeyPin.FingerprintForMasterKey(BitcainSuite.TestMasterKey);
        hex.ShouldBe(SealingKeyPin.FingerprintOf(real));
        var base64 = Convert.ToBase64String(Convert.FromHexString(hex));
        var colons = string.Join(':', Enumerable.Range(0, 32).Select(i => hex.Substring(i * 2, 2).ToUpperInvariant()));

        foreach (var form in new[] { hex, base64, colons, "0000000000000000000000000000000000000000000000000000000000000000, " + hex })
            SealingKeyPin.Parse(form)!.Accepts(real, out _).ShouldBeTrue(form);

        var pin = SealingKeyPin.Parse(hex)!;
        using var otherP256 = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        using var p384 = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP384);
        using var rsa = RSA.Create(2048);
        pin.Accepts(Spki(otherP256), out var why).ShouldBeFalse();
        why.ShouldContain("fingerprint");
        pin.Accepts(Spki(p384), out why).ShouldBeFalse();
        why.ShouldContain("P-256");
        pin.Accepts(Spki(rsa), out why).ShouldBeFalse();
        why.ShouldContain("P-256");
        pin.Accepts("not base64 !", out _).ShouldBeFalse();

        // Even pinned by mistake, a key of another kind is never sealed for.
        SealingKeyPin.Parse(SealingKeyPin.FingerprintOf(Spki(p384)))!.Accepts(Spki(p384), out _).ShouldBeFalse();
        SealingKeyPin.Parse(SealingKeyPin.FingerprintOf(Spki(rsa)))!.Accepts(Spki(rsa), out _).ShouldBeFalse();

        SealingKeyPin.Parse(null).ShouldBeNull();
        Should.Throw<FormatException>(() => SealingKeyPin.Parse("abc123"));
    }

    // The impostor signs with a key of its own, which no service trusts, and believes the gateway (public keys are
    // public): it can read the gateway's queries, as a competing consumer on the broker could.
    private static IConfiguration ImpostorBusIdentity() =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bus:Identity:Name"] = "impostor",
            ["Bus:Identity:SigningKey"] = ECDsa.Create(ECCurve.NamedCurves.nistP256).ExportPkcs8PrivateKeyPem(),
            ["Bus:Trusted:gateway:PublicKey"] = TestBusIdentities.KeyOf("gateway").ExportSubjectPublicKeyInfoPem(),
            ["Bus:Trusted:gateway:ActsFor"] = "*",
            ["Bus:Trusted:gateway:MaySend"] = "*",
        }).Build();

    [Fact]
    public async Task a_fake_responder_on_the_query_queue_cannot_get_the_gateway_to_seal_for_its_key()
    {
        var suite = fixture.Suite;
        using var impostorKey = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
        FakeSealingKeyResponder.Offered = Spki(impostorKey);
        FakeSealingKeyResponder.Answered = 0;

        // A second consumer on bitcain.credentials.queries: the broker hands it every other query.
        using var impostor = await Host.CreateDefaultBuilder()
            .UseWolverine(opts =>
            {
                opts.UseBitcainRabbitMq(typeof(FakeSealingKeyResponder).Assembly, ImpostorBusIdentity());
                opts.Discovery.DisableConventionalDiscovery().IncludeType(typeof(FakeSealingKeyResponder));
                opts.ListenToRabbitQueue(BusTopology.CredentialQueries).BufferedInMemory();
            })
            .StartAsync();

        var sealing = suite.Gateway.Services.GetRequiredService<CredentialSealing>();
        var api = Api.NewUser(suite.Gateway);
        var statuses = new List<(int Status, string Body)>();
        var tracked = await suite.Gateway.TrackActivity()
            .AlsoTrack(suite.Credentials, impostor)
            .IgnoreMessagesMatchingType(t => t.Name.EndsWith("V1", StringComparison.Ordinal) || t == typeof(Bitcain.Credentials.ValidatingCredential.ValidateStoredCredential))
            .Timeout(TimeSpan.FromSeconds(90))
            .DoNotAssertOnExceptionsDetected()
            .ExecuteAndWaitAsync((Func<IMessageContext, Task>)(async _ =>
            {
                for (var i = 0; i < 12 && (FakeSealingKeyResponder.Answered == 0 || i < 4); i++)
                {
                    sealing.Forget();
                    var (status, body) = await api.PostAsync("/api/exchange/credentials", Api.Credential(name: $"Pinned {i}"));
                    statuses.Add((status, body?.ToJsonString() ?? ""));
                }
            }));
        await impostor.StopAsync();

        FakeSealingKeyResponder.Answered.ShouldBeGreaterThan(0, "the impostor must have been asked for the test to mean anything");
        statuses.ShouldAllBe(s => s.Status == 201 || (s.Status == 503 && s.Body.Contains("not the pinned one")));
        statuses.Count(s => s.Status == 503).ShouldBe(FakeSealingKeyResponder.Answered, "every answer of the impostor was refused");

        var intake = suite.Credentials.Services.GetRequiredService<SecretsIntake>();
        var sent = tracked.Sent.MessagesOf<StoreCredential>().ToList();
        sent.Count.ShouldBe(statuses.Count(s => s.Status == 201), "a refused key sends nothing");
        foreach (var command in sent)
            intake.Open(command.Sealed.ApiKey!, api.User, SealedFields.ApiKeyField).ShouldBe(Api.Credential()["api_key"]);
        suite.Logs.Lines.ShouldContain(l => l.Contains("not the pinned one"));
        suite.Logs.Lines.ShouldAllBe(l => !l.Contains(FakeSealingKeyResponder.Offered));

        // With the impostor gone, the pinned key is fetched again and used.
        sealing.Forget();
        (await api.PostAsync("/api/exchange/credentials", Api.Credential(name: "After the impostor"))).Status.ShouldBe(201);
    }
}

public static class FakeSealingKeyResponder
{
    public static string Offered = "";
    public static int Answered;

    public static SealingKeyReply Handle(GetSealingKey query)
    {
        Interlocked.Increment(ref Answered);
        return new SealingKeyReply(Offered, "impostor");
    }
}
