using System.Net;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Bitcain.LocalServers;
using Microsoft.Extensions.DependencyInjection;
using Shouldly;
using Xunit;

namespace Bitcain.AppHost.Tests;

/// <summary>
/// The AppHost's model under Aspire.Hosting.Testing, in this process: what Aspire itself reports of the run. The
/// real-process tests (AppHostTests, ScaledOut) show what only a process can: the console, signals, nothing left.
/// </summary>
public sealed class AspireModelTests : IClassFixture<SolutionBuilt>
{
    private static readonly TimeSpan StartUp = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task every_resource_turns_healthy_and_the_gateway_answers_through_aspire()
    {
        var data = Machine.NewTempFolder("model");
        var ports = AppHostProcess.FreePortArguments();
        var epmd = int.Parse(ports[Array.IndexOf(ports, "--epmd-port") + 1]);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Bitcain_AppHost>(["--data", data, .. ports]);
        try
        {
            await using var app = await builder.BuildAsync();
            using var limit = new CancellationTokenSource(StartUp);
            await app.StartAsync(limit.Token);

            var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
            foreach (var resource in new[] { "postgres", "rabbitmq", "credentials", "sync", "market", "gateway" })
                await notifications.WaitForResourceHealthyAsync(resource, limit.Token);

            // Each service is given PostgreSQL, its own broker login and the others' addresses in Aspire's conventions.
            var model = app.Services.GetRequiredService<DistributedApplicationModel>();
            var sync = model.Resources.OfType<ProjectResource>().Single(r => r.Name == "sync");
            // Obsolete in 13.6 in favour of an execution-configuration builder that is more than this check needs.
#pragma warning disable CS0618
            var environment = await sync.GetEnvironmentVariableValuesAsync();
#pragma warning restore CS0618
            environment["ConnectionStrings__rabbitmq"].ShouldStartWith("amqp://bitcain-sync:");
            environment["ConnectionStrings__postgres"].ShouldEndWith(";Application Name=sync");
            environment.Keys.ShouldContain("services__gateway__http__0");
            environment.Keys.ShouldNotContain("Gateway__SealingKeyFingerprint");
            // The gateway holds no state: no database login and no master key, whatever it forwards.
            var gateway = model.Resources.OfType<ProjectResource>().Single(r => r.Name == "gateway");
#pragma warning disable CS0618
            var gatewayEnvironment = await gateway.GetEnvironmentVariableValuesAsync();
#pragma warning restore CS0618
            gatewayEnvironment.Keys.ShouldNotContain("ConnectionStrings__postgres");
            gatewayEnvironment.Keys.ShouldNotContain("Credentials__MasterKey");
            gatewayEnvironment.Keys.ShouldContain("Gateway__SealingKeyFingerprint");
            model.Resources.OfType<ParameterResource>().Where(p => p.Name.Contains("key") || p.Name.Contains("password"))
                .ShouldAllBe(p => p.Secret);
            // Each service signs the bus as itself, with a key no other service holds: one shared identity would let
            // any service speak for the credential service, and the pair keys of HTTP queries would not agree.
            var signingKeys = new List<string>();
            foreach (var name in new[] { "credentials", "sync", "market", "gateway" })
            {
#pragma warning disable CS0618
                var own = await model.Resources.OfType<ProjectResource>().Single(r => r.Name == name).GetEnvironmentVariableValuesAsync();
#pragma warning restore CS0618
                own["Bus__Identity__Name"].ShouldBe(name);
                signingKeys.Add(own["Bus__Identity__SigningKey"]);
            }
            signingKeys.Distinct().Count().ShouldBe(4, "every service holds its own bus signing key");

            using var http = app.CreateHttpClient("gateway", "http");
            (await http.GetAsync("/health", limit.Token)).StatusCode.ShouldBe(HttpStatusCode.OK);
            (await http.GetAsync("/api/exchange/supported", limit.Token)).StatusCode.ShouldBe(HttpStatusCode.Unauthorized, "no token, no answer");

            await app.StopAsync(limit.Token);
        }
        finally
        {
            await builder.DisposeAsync();
            // The AppHost's own epilogue (stopping the node's epmd) does not run in a test host.
            await RabbitMqServer.StopEpmdAsync(epmd);
        }
        (await Machine.ProcessesMentioningAfterAWhile(data)).ShouldBeEmpty();
    }
}
