using Xunit;

// Every test here starts real servers or a whole AppHost: on a two-core machine they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
