using System.Diagnostics;
using System.Security.Cryptography;
using Shouldly;
using Xunit;

namespace Bitcain.Ops.Tests;

/// <summary>
/// Production runs each service's handler code from services/&lt;Service&gt;/Internal/Generated (Static mode, no Roslyn);
/// Development and these tests compile it at run time. So a handler changed without <c>bash ops/codegen.sh</c> would
/// pass every other test and then, in production, run the old adapter or not be found at all: this test writes the
/// code the current handlers need, from each service's own host, and compares it with what is committed.
/// </summary>
public class GeneratedCodeTests
{
    public static TheoryData<string> Services => new() { "Credentials", "Sync", "Market", "Gateway" };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task The_committed_generated_code_is_what_the_handlers_need_now(string service)
    {
        var committed = Repository.Path($"services/{service}/Internal/Generated");
        var fresh = Directory.CreateTempSubdirectory("bitcain-codegen-").FullName;
        try
        {
            await WriteGeneratedCodeAsync(service, fresh);

            var expected = Files(fresh);
            expected.Keys.ShouldNotBeEmpty($"{service} wrote no generated code");
            var actual = Directory.Exists(committed) ? Files(committed) : [];
            var stale = expected.Keys.Union(actual.Keys)
                .Where(f => !actual.TryGetValue(f, out var a) || !expected.TryGetValue(f, out var e) || a != e)
                .Order().ToList();
            stale.ShouldBeEmpty($"services/{service}/Internal/Generated is stale (missing, extra or changed files); run `bash ops/codegen.sh {service}` and commit the result");
        }
        finally
        {
            Directory.Delete(fresh, recursive: true);
        }
    }

    private static Dictionary<string, string> Files(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(root, f).Replace('\\', '/'), f => File.ReadAllText(f).ReplaceLineEndings("\n"));

    /// <summary>The service's own <c>codegen write</c>, as ops/codegen.sh runs it, from the build beside this test's.</summary>
    private static async Task WriteGeneratedCodeAsync(string service, string output)
    {
        var dll = ServiceAssembly(service);
        File.Exists(dll).ShouldBeTrue($"{dll} is not built");
        var info = new ProcessStartInfo("dotnet", [dll, "codegen", "write"])
        {
            WorkingDirectory = output,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in ThrowawaySettings()) info.Environment[key] = value;
        info.Environment["CodeGeneration__OutputPath"] = output;
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.ShouldBe(0, $"codegen write of {service} failed:\n{await stderr}\n{await stdout}");
    }

    /// <summary>
    /// What the services' configuration checks ask for before the host is built; the host is never started, so
    /// nothing connects, signs or seals with these.
    /// </summary>
    private static IEnumerable<(string, string)> ThrowawaySettings()
    {
        using var busKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        yield return ("ASPNETCORE_ENVIRONMENT", "Development");
        yield return ("ConnectionStrings__postgres", "Host=127.0.0.1;Port=9;Username=codegen;Password=codegen;Database=codegen");
        yield return ("ConnectionStrings__rabbitmq", "amqp://codegen:codegen@127.0.0.1:9/");
        yield return ("Auth__SigningKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(48)));
        yield return ("Credentials__MasterKey", Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)));
        yield return ("Bus__Identity__SigningKey", busKey.ExportPkcs8PrivateKeyPem());
        yield return ("Logging__LogLevel__Default", "Warning");
    }

    private static string ServiceAssembly(string service)
    {
        // This test's own build configuration (bin/<Configuration>/net10.0): the project references build the services in it.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        return Repository.Path($"services/{service}/bin/{configuration}/net10.0/Bitcain.{service}.dll");
    }
}
