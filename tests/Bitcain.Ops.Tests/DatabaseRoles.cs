using System.Text.RegularExpressions;

namespace Bitcain.Ops.Tests;

/// <summary>What k8s/postgres/init-roles.psql and the script that runs it create.</summary>
public static class DatabaseRoles
{
    public const string SqlPath = "ops/cluster/k8s/postgres/init-roles.psql";
    public const string ScriptPath = "ops/cluster/k8s/postgres/10-bitcain-roles.sh";

    public static string Sql { get; } = Repository.Read(SqlPath);

    public static string Script { get; } = Repository.Read(ScriptPath);

    private static string Statements => Regex.Replace(Sql, @"--.*$", "", RegexOptions.Multiline);

    public static IReadOnlyDictionary<string, string> SchemaOwners =>
        Regex.Matches(Statements, @"(?i)CREATE\s+SCHEMA\s+(\w+)\s+AUTHORIZATION\s+(\w+)").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);

    public static IReadOnlyDictionary<string, bool> Roles =>
        Regex.Matches(Statements, @"(?i)CREATE\s+ROLE\s+(\w+)\s+(NOLOGIN|LOGIN)").ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value.Equals("LOGIN", StringComparison.OrdinalIgnoreCase));

    /// <summary>Schemas a role is granted anything on (GRANT ... ON SCHEMA a, b TO role; default privileges IN SCHEMA x ... TO role).</summary>
    public static IEnumerable<string> SchemasGrantedTo(string role) =>
        Regex.Matches(Statements, $@"(?i)GRANT\s+[\w, ]+\s+ON\s+SCHEMA\s+([\w, ]+?)\s+TO\s+[\w, ]*\b{role}\b").SelectMany(m => m.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries))
            .Concat(Regex.Matches(Statements, $@"(?i)IN\s+SCHEMA\s+(\w+)\s+GRANT\s+[^;]*\bTO\s+{role}\b").Select(m => m.Groups[1].Value));

    public static IEnumerable<string> SqlVariables => Regex.Matches(Statements, @":['""](\w+)['""]").Select(m => m.Groups[1].Value).Distinct();

    public static IEnumerable<string> ScriptVariables => Regex.Matches(Script, @"-v\s+(\w+)=").Select(m => m.Groups[1].Value);

    /// <summary>Environment variables the script reads (the service roles' passwords).</summary>
    public static IEnumerable<string> ScriptEnvironment => Regex.Matches(Script, @"\$\{?([A-Z][A-Z0-9_]*_PASSWORD)").Select(m => m.Groups[1].Value).Distinct();
}
