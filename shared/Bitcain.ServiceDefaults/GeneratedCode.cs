using JasperFx;
using JasperFx.CodeGeneration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Bitcain.ServiceDefaults;

/// <summary>
/// Where a service's Wolverine handler adapters (and any Marten storage code) come from: compiled into the service from
/// its <c>Internal/Generated</c> folder in production, so Roslyn is never loaded there (loaded, it held about
/// 135 MiB of the credentials service's working set: README, "Where the memory goes"); compiled at run time in Development, so a handler change needs no
/// regeneration while one works on it. <c>ops/codegen.sh</c> rewrites the folders; a test fails when they are stale.
/// </summary>
public static class GeneratedCode
{
    /// <summary>Where <c>codegen write</c> puts the files; ops/codegen.sh names the service's folder, the staleness test a temporary one.</summary>
    public const string OutputPathSetting = "CodeGeneration:OutputPath";

    /// <summary>JasperFx's verb for the generated code (<c>codegen write|preview|test|delete</c>).</summary>
    public const string Command = "codegen";

    public static TBuilder AddGeneratedCode<TBuilder>(this TBuilder builder) where TBuilder : IHostApplicationBuilder
    {
        var outputPath = builder.Configuration[OutputPathSetting];
        builder.Services.CritterStackDefaults(x =>
        {
            x.Development.GeneratedCodeMode = TypeLoadMode.Dynamic;
            // A type missing from the assembly stops the start-up instead of failing the first message of that
            // type, and nothing is ever compiled: Release builds carry no Roslyn at all.
            x.Production.GeneratedCodeMode = TypeLoadMode.Static;
            x.Production.AssertAllPreGeneratedTypesExist = true;
            x.Production.SourceCodeWritingEnabled = false;
            if (!string.IsNullOrEmpty(outputPath)) x.GeneratedCodeOutputPath = Path.GetFullPath(outputPath);
        });
        return builder;
    }

    /// <summary>True when the process was started to write or check the generated code instead of serving.</summary>
    public static bool IsCommand(string[] args) => args.Length > 0 && args[0] == Command;
}
