using System.Text.RegularExpressions;

namespace Bitcain.Ops.Tests;

/// <summary>
/// A configuration key in colon form, as .NET reads it (<c>ConnectionStrings:postgres</c>); <c>*</c> stands for
/// any one segment (an exchange id), <c>#</c> for an array index. Environment form <c>A__B</c> is <c>A:B</c>.
/// </summary>
public sealed record ConfigKey(string Pattern)
{
    public static string FromEnvironment(string name) => name.Replace("__", ":");

    public bool Matches(string environmentName)
    {
        var key = FromEnvironment(environmentName).Split(':');
        var pattern = Pattern.Split(':');
        if (key.Length != pattern.Length) return false;
        for (var i = 0; i < key.Length; i++)
        {
            var ok = pattern[i] switch
            {
                "*" => key[i].Length > 0,
                "#" => key[i].Length > 0 && key[i].All(char.IsAsciiDigit),
                var literal => string.Equals(literal, key[i], StringComparison.OrdinalIgnoreCase),
            };
            if (!ok) return false;
        }
        return true;
    }

    public override string ToString() => Pattern;
}

/// <summary>
/// One service as its source defines it: the files it runs (its own folder plus the shared files it reaches by
/// calling their public methods) and the configuration keys those files read.
/// </summary>
public sealed class ServiceSource
{
    public required string Name { get; init; }          // gateway, credentials, ...
    public required string Folder { get; init; }        // services/Gateway
    public required string Project { get; init; }       // services/Gateway/Bitcain.Gateway.csproj
    public required IReadOnlyList<string> Files { get; init; }
    public required IReadOnlySet<ConfigKey> Reads { get; init; }
    /// <summary>Keys whose absence stops the service: GetConnectionString(..) ?? throw, Wolverine's named Rabbit connection.</summary>
    public required IReadOnlySet<ConfigKey> CannotStartWithout { get; init; }
    /// <summary>Its Marten schema (<c>const string Schema = "..."</c>), if it keeps events.</summary>
    public string? Schema { get; init; }
    /// <summary>The RabbitMQ queues it listens to (BusTopology constant values).</summary>
    public required IReadOnlyList<string> ListensTo { get; init; }

    public bool ReadsKey(string environmentName) => Reads.Any(k => k.Matches(environmentName));

    public static IReadOnlyList<ServiceSource> All { get; } = Scan();

    public static ServiceSource Get(string name) => All.Single(s => s.Name == name);

    private static IReadOnlyList<ServiceSource> Scan()
    {
        var sharedFiles = CsFiles("shared");
        var constants = Constants(sharedFiles.Concat(CsFiles("services")));
        return Directory.GetDirectories(Repository.Path("services")).Order()
            .Select(dir => ScanService(Path.GetFileName(dir), sharedFiles, constants))
            .ToList();
    }

    private static ServiceSource ScanService(string folder, IReadOnlyList<string> sharedFiles, IReadOnlyDictionary<string, string> constants)
    {
        var project = Directory.GetFiles(Repository.Path($"services/{folder}"), "*.csproj").Single();
        var own = CsFiles($"services/{folder}");
        var referenced = ReferencedSharedFolders(project);
        var files = Reachable(own, sharedFiles.Where(f => referenced.Any(r => f.StartsWith(r + "/", StringComparison.Ordinal))).ToList());
        var text = files.ToDictionary(f => f, f => StripComments(Repository.Read(f)));

        var reads = new HashSet<ConfigKey>();
        var required = new HashSet<ConfigKey>();
        foreach (var source in text.Values)
            ReadKeys(source, constants, text.Values, reads, required);

        var all = string.Join("\n", text.Values);
        var schema = own.Select(f => Regex.Match(Repository.Read(f), @"const\s+string\s+Schema\s*=\s*""([^""]+)""")).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        var listens = own.SelectMany(f => Regex.Matches(Repository.Read(f), @"ListenToRabbitQueue\(\s*([\w.]+)\s*\)").Select(m => Resolve(m.Groups[1].Value, constants)))
            .OfType<string>().Distinct().ToList();
        return new ServiceSource
        {
            Name = folder.ToLowerInvariant(),
            Folder = $"services/{folder}",
            Project = Path.GetRelativePath(Repository.Root, project).Replace('\\', '/'),
            Files = files,
            Reads = reads,
            CannotStartWithout = required,
            Schema = schema,
            ListensTo = listens,
        };
    }

    private static void ReadKeys(string source, IReadOnlyDictionary<string, string> constants, IEnumerable<string> allSources,
        HashSet<ConfigKey> reads, HashSet<ConfigKey> required)
    {
        const string arg = @"(""[^""]*""|\$""[^""]*""|[A-Za-z_][\w.]*)";

        foreach (Match m in Regex.Matches(source, $@"GetConnectionString\(\s*{arg}\s*\)(\s*\?\?\s*throw)?"))
        {
            if (Resolve(m.Groups[1].Value, constants) is not { } name) continue;
            var key = new ConfigKey("ConnectionStrings:" + name);
            reads.Add(key);
            if (m.Groups[2].Success) required.Add(key);
        }
        // Wolverine reads ConnectionStrings:<name> for a named RabbitMQ connection and cannot start without it.
        foreach (Match m in Regex.Matches(source, $@"UseRabbitMqUsingNamedConnection\(\s*{arg}\s*\)"))
        {
            if (Resolve(m.Groups[1].Value, constants) is not { } name) continue;
            var key = new ConfigKey("ConnectionStrings:" + name);
            reads.Add(key);
            required.Add(key);
        }

        // Sections held in a variable: var auth = ...GetSection("Auth"); auth["SigningKey"]
        var sections = new Dictionary<string, string>();
        foreach (Match m in Regex.Matches(source, $@"var\s+(\w+)\s*=\s*[\w.]*GetSection\(\s*{arg}\s*\)\s*;"))
            if (Resolve(m.Groups[2].Value, constants) is { } section) sections[m.Groups[1].Value] = section;

        // Sections bound to an options class: GetSection("Gateway").Get<GatewayOptions>()
        foreach (Match m in Regex.Matches(source, $@"GetSection\(\s*{arg}\s*\)\s*\.\s*Get<(\w+)>"))
        {
            if (Resolve(m.Groups[1].Value, constants) is not { } section) continue;
            foreach (var property in OptionsProperties(m.Groups[2].Value, allSources))
                reads.Add(new ConfigKey($"{section}:{property}"));
        }

        // Indexers: configuration["A:B"], builder.Configuration[Constant], section["Key"]
        foreach (Match m in Regex.Matches(source, $@"(\w+)\[\s*{arg}\s*\]"))
        {
            var target = m.Groups[1].Value;
            if (Resolve(m.Groups[2].Value, constants) is not { } key) continue;
            if (target is "Configuration" or "configuration" or "config")
                reads.Add(new ConfigKey(key));
            else if (sections.TryGetValue(target, out var section))
                reads.Add(new ConfigKey($"{section}:{key}"));
        }

        // Typed reads: configuration.GetValue<bool>(Setting), builder.Configuration.GetValue(Setting, 30.0)
        foreach (Match m in Regex.Matches(source, $@"\b(?:Configuration|configuration|config)\.GetValue(?:<[^>(]+>)?\(\s*{arg}"))
            if (Resolve(m.Groups[1].Value, constants) is { } key) reads.Add(new ConfigKey(key));

        // A local reader of a section: double? Number(string key) => ... section[key] ...; Number("TimeoutSeconds")
        foreach (Match m in Regex.Matches(source, @"\b(\w+)\(\s*string\s+(\w+)\s*\)\s*=>[^;]*?\b(\w+)\[\s*\2\s*\]"))
        {
            if (!sections.TryGetValue(m.Groups[3].Value, out var section)) continue;
            foreach (Match call in Regex.Matches(source, $@"\b{m.Groups[1].Value}\(\s*""([^""]+)""\s*\)"))
                reads.Add(new ConfigKey($"{section}:{call.Groups[1].Value}"));
        }

        // Framework readers the code opts into.
        if (source.Contains("AddServiceDiscovery(", StringComparison.Ordinal))
        {
            reads.Add(new ConfigKey("services:*:http:#"));
            reads.Add(new ConfigKey("services:*:https:#"));
        }
        if (source.Contains("UseOtlpExporter(", StringComparison.Ordinal))
            foreach (var otel in new[] { "OTEL_EXPORTER_OTLP_ENDPOINT", "OTEL_EXPORTER_OTLP_PROTOCOL", "OTEL_EXPORTER_OTLP_HEADERS", "OTEL_SERVICE_NAME", "OTEL_RESOURCE_ATTRIBUTES" })
                reads.Add(new ConfigKey(otel));
        if (source.Contains("WebApplication.CreateBuilder(", StringComparison.Ordinal))
            foreach (var host in new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_ENVIRONMENT", "DOTNET_ENVIRONMENT" })
                reads.Add(new ConfigKey(host));
    }

    /// <summary>The settable properties of an options class, arrays as <c>Name:#</c>.</summary>
    private static IEnumerable<string> OptionsProperties(string className, IEnumerable<string> sources)
    {
        var body = sources.Select(s => Regex.Match(s, $@"class\s+{className}\b[^{{]*\{{(?<body>(?:[^{{}}]|\{{[^{{}}]*\}})*)\}}")).FirstOrDefault(m => m.Success)
            ?? throw new InvalidOperationException($"options class {className} not found in the service's source");
        foreach (Match p in Regex.Matches(body.Groups["body"].Value, @"public\s+([\w<>\[\]?,. ]+?)\s+(\w+)\s*\{\s*get;\s*(set|init);"))
        {
            var type = p.Groups[1].Value;
            var isList = type.EndsWith("[]", StringComparison.Ordinal) || type.StartsWith("List<", StringComparison.Ordinal) || type.StartsWith("IReadOnlyList<", StringComparison.Ordinal);
            yield return isList ? p.Groups[2].Value + ":#" : p.Groups[2].Value;
        }
    }

    private static string? Resolve(string argument, IReadOnlyDictionary<string, string> constants)
    {
        if (argument.StartsWith("$\"", StringComparison.Ordinal))
            return Regex.Replace(argument[2..^1], @"\{[^}]*\}", "*");
        if (argument.StartsWith('"'))
            return argument[1..^1];
        return constants.GetValueOrDefault(argument.Split('.')[^1]);
    }

    private static IReadOnlyDictionary<string, string> Constants(IEnumerable<string> files)
    {
        var constants = new Dictionary<string, string>();
        foreach (var file in files)
            foreach (Match m in Regex.Matches(Repository.Read(file), @"const\s+string\s+(\w+)\s*=\s*""([^""]*)"""))
                constants.TryAdd(m.Groups[1].Value, m.Groups[2].Value);
        return constants;
    }

    /// <summary>The service's own files, then every shared file whose public static methods a reachable file calls.</summary>
    private static List<string> Reachable(List<string> own, List<string> shared)
    {
        var reachable = new List<string>(own);
        var text = reachable.Select(f => StripComments(Repository.Read(f))).ToList();
        var pending = shared.ToDictionary(f => f, f => Regex.Matches(Repository.Read(f), @"public\s+static\s+[\w<>\[\]?,. ]+?\s+(\w+)\s*(<[^>]*>)?\s*\(")
            .Select(m => m.Groups[1].Value).Distinct().ToList());
        bool grew;
        do
        {
            grew = false;
            foreach (var (file, methods) in pending.ToList())
            {
                if (!methods.Any(method => text.Any(t => Regex.IsMatch(t, $@"\b{method}\s*(<[^>]*>)?\s*\(")))) continue;
                reachable.Add(file);
                text.Add(StripComments(Repository.Read(file)));
                pending.Remove(file);
                grew = true;
            }
        } while (grew);
        return reachable;
    }

    private static List<string> ReferencedSharedFolders(string project)
    {
        var folders = new List<string>();
        var queue = new Queue<string>([project]);
        while (queue.TryDequeue(out var current))
        {
            foreach (Match m in Regex.Matches(File.ReadAllText(current), @"ProjectReference\s+Include=""([^""]+)"""))
            {
                var referenced = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(current)!, m.Groups[1].Value.Replace('\\', '/')));
                var folder = Path.GetRelativePath(Repository.Root, Path.GetDirectoryName(referenced)!).Replace('\\', '/');
                if (folders.Contains(folder)) continue;
                folders.Add(folder);
                queue.Enqueue(referenced);
            }
        }
        return folders;
    }

    private static List<string> CsFiles(string relativeFolder) =>
        Directory.GetFiles(Repository.Path(relativeFolder), "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(Repository.Root, f).Replace('\\', '/'))
            .Where(f => !f.Contains("/obj/") && !f.Contains("/bin/"))
            .Order()
            .ToList();

    // Line comments only: doc comments name settings (<c>Auth:SigningKey</c>) that the code may not read.
    private static string StripComments(string source) => Regex.Replace(source, @"^\s*//.*$", "", RegexOptions.Multiline);
}

/// <summary>Other facts the manifests must agree with, read from the source and the README.</summary>
public static class SourceFacts
{
    private static readonly string ServiceDefaults = Repository.Read("shared/Bitcain.ServiceDefaults/ServiceDefaultsExtensions.cs");

    public static string HealthPath { get; } = Regex.Match(ServiceDefaults, @"HealthPath\s*=\s*""([^""]+)""").Groups[1].Value;

    public static string AlivePath { get; } = Regex.Match(ServiceDefaults, @"AlivePath\s*=\s*""([^""]+)""").Groups[1].Value;

    /// <summary>BusTopology's queue names (constants whose value is bitcain.&lt;area&gt;.commands|queries).</summary>
    public static IReadOnlyList<string> Queues { get; } = Regex.Matches(Repository.Read("shared/Bitcain.Contracts/BusTopology.cs"),
            @"const\s+string\s+\w+\s*=\s*""(bitcain\.[a-z]+\.(?:commands|queries))""")
        .Select(m => m.Groups[1].Value).ToList();

    /// <summary>README "Bench": working set per service after the loads, in MiB.</summary>
    public static IReadOnlyDictionary<string, int> BenchWorkingSetMiB { get; } = ReadBench();

    private static Dictionary<string, int> ReadBench()
    {
        var line = Repository.Read("README.md").Split('\n').Single(l => l.StartsWith("Memory after the loads", StringComparison.Ordinal));
        return Regex.Matches(line, @"(\w+) (\d+) MiB").ToDictionary(m => m.Groups[1].Value, m => int.Parse(m.Groups[2].Value));
    }

    /// <summary>The setting names of README's configuration table (environment form, placeholders as written).</summary>
    public static string ReadmeConfigurationTable { get; } = Section(Repository.Read("README.md"), "## Configuration");

    private static string Section(string markdown, string heading)
    {
        var start = markdown.IndexOf(heading, StringComparison.Ordinal);
        var end = markdown.IndexOf("\n## ", start + heading.Length, StringComparison.Ordinal);
        return markdown[start..(end < 0 ? markdown.Length : end)];
    }
}
