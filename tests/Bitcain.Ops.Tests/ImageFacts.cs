using System.Text.RegularExpressions;

namespace Bitcain.Ops.Tests;

/// <summary>What ops/cluster/Dockerfile builds.</summary>
public static class ImageFacts
{
    public const string DockerfilePath = "ops/cluster/Dockerfile";

    public static string Text { get; } = Repository.Read(DockerfilePath);

    /// <summary>The port of ENV ASPNETCORE_URLS=http://+:PORT in the runtime stage.</summary>
    public static int Port { get; } = int.Parse(Regex.Match(Text, @"ASPNETCORE_URLS=http://\+:(\d+)").Groups[1].Value);

    public static IReadOnlyList<string> Stages { get; } = Regex.Split(Text, @"(?m)^(?=FROM\s)").Where(s => s.StartsWith("FROM", StringComparison.Ordinal)).ToList();
}
