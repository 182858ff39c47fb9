using Shouldly;
using Xunit;

namespace Bitcain.AppHost.Tests;

public sealed class ReplicaOptionsTests
{
    [Fact]
    public void replicas_give_every_instance_of_a_service_its_own_port_four_apart()
    {
        var options = AppHostOptions.Parse(["--replicas", "3", "--port-base", "6000"]);

        options.Replicas.ShouldBe(3);
        options.ServicePorts(0).ShouldBe([6000, 6004, 6008]);   // gateways
        options.ServicePorts(2).ShouldBe([6002, 6006, 6010]);   // sync
        AppHostOptions.Parse([]).ServicePorts(1).ShouldBe([5081]);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("9")]
    [InlineData("two")]
    public void a_replica_count_outside_one_to_eight_is_refused_with_the_range(string value)
    {
        Should.Throw<ArgumentException>(() => AppHostOptions.Parse(["--replicas", value]))
            .Message.ShouldContain("from 1 to 8");
    }
}
