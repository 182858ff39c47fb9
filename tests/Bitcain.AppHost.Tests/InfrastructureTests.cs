using System.Net.Sockets;
using Bitcain.LocalServers;
using Npgsql;
using Shouldly;
using Xunit;

namespace Bitcain.AppHost.Tests;

public sealed class InfrastructureTests
{
    [Fact]
    public async Task a_private_postgres_answers_queries_keeps_its_data_and_leaves_no_process_behind()
    {
        var folder = Machine.NewTempFolder("pg");
        var port = FreePort.Next();

        await using (var postgres = await PostgresServer.StartAsync(Path.Combine(folder, "postgres"), port, "bitcain"))
        {
            postgres.ConnectionString.ShouldBe($"Host=127.0.0.1;Port={port};Database=bitcain;Username=postgres");
            (await Scalar(postgres.ConnectionString, "select 1")).ShouldBe(1);
            await Scalar(postgres.ConnectionString, "create table kept (id int); insert into kept values (42); select 1");
        }
        FreePort.IsFree(port).ShouldBeTrue();
        (await Machine.ProcessesMentioningAfterAWhile(folder)).ShouldBeEmpty();

        // The next start reuses the cluster (no initdb) and finds what the first one stored.
        await using (var again = await PostgresServer.StartAsync(Path.Combine(folder, "postgres"), port, "bitcain"))
            (await Scalar(again.ConnectionString, "select id from kept")).ShouldBe(42);
        (await Machine.ProcessesMentioningAfterAWhile(folder)).ShouldBeEmpty();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task a_private_rabbitmq_node_accepts_amqp_serves_its_management_ui_and_leaves_no_process_behind()
    {
        var folder = Machine.NewTempFolder("rabbit");
        var (amqp, epmd, dist, management) = (FreePort.Next(), FreePort.Next(), FreePort.Next(), FreePort.Next());

        await using (var rabbitmq = await RabbitMqServer.StartAsync(Path.Combine(folder, "rabbitmq"), amqp, epmd, dist, management))
        {
            using (var http = new HttpClient())
                (await http.GetAsync($"http://127.0.0.1:{management}/")).StatusCode.ShouldBe(System.Net.HttpStatusCode.OK);
            rabbitmq.ConnectionString.ShouldStartWith($"amqp://{BrokerUser.AdministratorName}:");
            rabbitmq.ConnectionString.ShouldEndWith($"@127.0.0.1:{amqp}/");
            rabbitmq.NodeName.ShouldStartWith("bitcain-");
            (await AmqpHandshake(amqp)).ShouldBeTrue("the node should answer an AMQP 0-9-1 protocol header with Connection.Start");
        }

        FreePort.IsFree(amqp).ShouldBeTrue();
        FreePort.IsFree(management).ShouldBeTrue();
        FreePort.IsFree(epmd).ShouldBeTrue("the node's own epmd should be stopped with it");
        (await Machine.ProcessesMentioningAfterAWhile(folder)).ShouldBeEmpty();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task the_apphosts_postgres_asks_for_a_password_and_a_cluster_that_trusted_is_switched_over()
    {
        var folder = Machine.NewTempFolder("pg-auth");
        var port = FreePort.Next();
        var cluster = Path.Combine(folder, "postgres");

        // As an older AppHost left it: trust.
        await using (var trusting = await PostgresServer.StartAsync(cluster, port, "bitcain"))
            await Scalar(trusting.ConnectionString, "create table kept (id int); insert into kept values (7); select 1");

        await using (var postgres = await PostgresServer.StartAsync(cluster, port, "bitcain", passwordProtected: true))
        {
            var password = File.ReadAllText(PostgresServer.PasswordFileFor(cluster)).Trim();
            postgres.ConnectionString.ShouldEndWith($";Password={password}");
            (await Scalar(postgres.ConnectionString, "select id from kept")).ShouldBe(7);
            var withoutPassword = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Password = null }.ConnectionString;
            (await Should.ThrowAsync<NpgsqlException>(() => Scalar(withoutPassword, "select 1"))).Message.ShouldContain("password");
            var wrongPassword = new NpgsqlConnectionStringBuilder(postgres.ConnectionString) { Password = "guess" }.ConnectionString;
            (await Should.ThrowAsync<PostgresException>(() => Scalar(wrongPassword, "select 1"))).SqlState.ShouldBe(PostgresErrorCodes.InvalidPassword);
        }
        new FileInfo(PostgresServer.PasswordFileFor(cluster)).UnixFileMode.ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await Machine.ProcessesMentioningAfterAWhile(folder)).ShouldBeEmpty();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task a_node_that_still_had_guest_loses_it_on_its_next_start()
    {
        var folder = Machine.NewTempFolder("rabbit-guest");
        var (amqp, epmd, dist) = (FreePort.Next(), FreePort.Next(), FreePort.Next());
        var node = Path.Combine(folder, "rabbitmq");
        await using (await RabbitMqServer.StartAsync(node, amqp, epmd, dist))
        {
            // What a node created before the broker users has.
            await RabbitMqServer.ControlAsync(node, epmd, ["add_user", "guest", "guest"], TimeSpan.FromSeconds(60));
            File.Delete(Path.Combine(node, "guest.removed"));
        }
        await using (await RabbitMqServer.StartAsync(node, amqp, epmd, dist))
        {
            var users = await RabbitMqServer.ControlAsync(node, epmd, ["-q", "list_users"], TimeSpan.FromSeconds(60));
            users.ShouldNotContain("guest");
            users.ShouldContain(BrokerUser.ForService("gateway"));
        }
        (await Machine.ProcessesMentioningAfterAWhile(folder)).ShouldBeEmpty();
        Directory.Delete(folder, recursive: true);
    }

    [Fact]
    public async Task postgres_moves_to_a_folder_the_postgres_user_can_reach_when_the_one_asked_for_is_closed_to_it()
    {
        var closed = Machine.NewTempFolder("closed");
        File.SetUnixFileMode(closed, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var asked = Path.Combine(closed, "postgres");

        await using (var postgres = await PostgresServer.StartAsync(asked, FreePort.Next(), "bitcain"))
        {
            postgres.Folder.ShouldBe(PostgresServer.FallbackFolderFor(asked));
            (await Scalar(postgres.ConnectionString, "select 1")).ShouldBe(1);
        }
        (await Machine.ProcessesMentioningAfterAWhile(PostgresServer.FallbackFolderFor(asked))).ShouldBeEmpty();
        Directory.Delete(PostgresServer.FallbackFolderFor(asked), recursive: true);
        Directory.Delete(closed, recursive: true);
    }

    [Fact]
    public void free_ports_are_free_and_taken_ones_are_not()
    {
        var port = FreePort.Next();
        FreePort.IsFree(port).ShouldBeTrue();
        using var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
        listener.Start();
        FreePort.IsFree(port).ShouldBeFalse();

        var first = FreePort.NextRange(4);
        Enumerable.Range(first, 4).ShouldAllBe(p => FreePort.IsFree(p));
    }

    private static async Task<int> Scalar(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    /// <summary>Sends "AMQP 0 0 9 1" and expects a method frame (type 1) on channel 0: Connection.Start.</summary>
    private static async Task<bool> AmqpHandshake(int port)
    {
        using var client = new TcpClient();
        await client.ConnectAsync("127.0.0.1", port);
        var stream = client.GetStream();
        await stream.WriteAsync("AMQP\0\0\u0009\u0001"u8.ToArray());
        var header = new byte[7];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.ReadExactlyAsync(header, timeout.Token);
        return header[0] == 1 && header[1] == 0 && header[2] == 0;
    }
}
