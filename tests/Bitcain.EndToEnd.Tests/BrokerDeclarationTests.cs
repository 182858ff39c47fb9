using Bitcain.Testing;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests;

/// <summary>
/// Every process that declares a queue declares it as its owner does: RabbitMQ refuses a second declaration with other
/// arguments, and the refused process then retries its whole broker start-up. The services started in the suite's order
/// (credentials first, then the sync service that sends to the credential commands queue) are the case.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class BrokerDeclarationTests(BitcainSuite suite)
{
    [Fact]
    public void no_service_declares_a_queue_with_other_arguments_than_its_owner()
    {
        suite.Logs.Lines.Where(l => l.Contains("inequivalent arg", StringComparison.Ordinal) || l.Contains("rejected the declaration", StringComparison.Ordinal))
            .ShouldBeEmpty();
    }
}
