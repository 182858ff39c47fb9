using Bitcain.Testing;
using Xunit;

// The hosts share one broker and its queues: two test classes running at once would consume each other's
// commands, so the suite runs its collections one after the other.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Bitcain.EndToEnd.Tests;

[CollectionDefinition(Name)]
public sealed class SuiteCollection : ICollectionFixture<BitcainSuite>
{
    public const string Name = "bitcain suite";
}
