using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Bitcain.Exchanges;
using Bitcain.Testing;
using Shouldly;
using Xunit;
using Xunit.Abstractions;

namespace Bitcain.EndToEnd.Tests;

/// <summary>
/// Generated bad input to every endpoint, with the services running behind the gateway: no answer is a 5xx, every 422
/// has pydantic's shape, input that is bad for a parameter is a 422 naming it, and no answer carries a secret back.
/// Seeded, so a failure names a case that happens again. Cases that would make a valid call to a real exchange are not
/// generated: the suite has no network, and what an exchange answers is not what this test is about.
/// </summary>
[Collection(SuiteCollection.Name)]
public sealed class FuzzTests(BitcainSuite suite, ITestOutputHelper output)
{
    private const int Seed = 15_0006;
    private const string SecretMark = "FUZZSECRET";
    private static readonly string[] Secrets = ["FUZZKEY-0123456789", SecretMark + "-abcdefgh", "FUZZPASS-pp"];

    private enum Kind { Text, Exchange, Integer, Number, Boolean, Date }

    private sealed record Param(string Name, Kind Kind, string Base, long? Min = null, long? Max = null, decimal? Gt = null, decimal? NumberMax = null);

    private sealed record Endpoint(string Method, string Path, Param[] Query);

    /// <summary>A value as it goes on the wire (percent-encoded), and whether the gateway must refuse it as text.</summary>
    private sealed record Raw(string Encoded, bool BadText);

    private sealed record Case(string Name, HttpMethod Method, string Target, byte[]? Body, string? ContentType, int[] Statuses, string[]? Loc);

    private static readonly Param Exchange = new("exchange", Kind.Exchange, "binance");
    private static readonly Param NoExchange = new("exchange", Kind.Exchange, "nope"); // keeps the case from reaching an exchange
    private static readonly Param Start = new("start_date", Kind.Date, "2024-01-01");
    private static readonly Param End = new("end_date", Kind.Date, "2024-02-01");
    private static readonly Param Limit = new("limit", Kind.Integer, "10", 1, 1000);
    private static readonly Param Offset = new("offset", Kind.Integer, "0", 0, 100_000);
    private static readonly Param CredentialId = new("credential_id", Kind.Text, Guid.Empty.ToString());

    private static readonly Endpoint[] QueryEndpoints =
    [
        new("GET", "/api/exchange/markets", [NoExchange]),
        new("GET", "/api/exchange/ticker", [NoExchange, new("symbol", Kind.Text, "BTC/USDT")]),
        new("GET", "/api/exchange/route", [new("base", Kind.Text, ""), new("quote", Kind.Text, "USDT"),
            new("size", Kind.Number, "1", Gt: 0, NumberMax: 1_000_000_000_000_000m), new("quote_size", Kind.Number, "-1", Gt: 0, NumberMax: 1_000_000_000_000_000m)]),
        new("GET", "/api/exchange/health", [new("force_refresh", Kind.Boolean, "false")]),
        new("POST", "/api/exchange/balance/sync", [Exchange, CredentialId]),
        new("GET", "/api/exchange/balance", [Exchange, new("currency", Kind.Text, "BTC"), CredentialId]),
        new("GET", "/api/exchange/balance/history", [Exchange, new("currency", Kind.Text, "BTC"), Start, End, Limit]),
        new("POST", "/api/exchange/trades/sync", [Exchange, CredentialId, new("symbol", Kind.Text, "BTC/USDT"), new("since", Kind.Date, "2024-01-01"), Limit]),
        new("GET", "/api/exchange/trades", [Exchange, new("symbol", Kind.Text, "BTC/USDT"), Start, End, Limit, Offset]),
        new("GET", "/api/exchange/trades/stats", [Exchange, Start, End]),
        new("GET", "/api/exchange/sync/status", [Exchange]),
        new("GET", "/api/exchange/bnb-burn", [new("exchange", Kind.Text, "binanceus")]),
        new("GET", "/api/exchange/dust-assets", [new("exchange", Kind.Text, "binanceus")]),
        new("GET", "/api/exchange/credentials", [new("exchange_name", Kind.Exchange, "binance")]),
        new("GET", "/api/audit/events", [new("stream", Kind.Text, "credential"), Exchange, new("credential_id", Kind.Text, Guid.Empty.ToString()), Start, End, Limit, Offset]),
        new("GET", "/api/exchange/supported", []),
    ];

    private static readonly (string Method, string Template, string Name)[] PathEndpoints =
    [
        ("GET", "/api/exchange/{0}/info", "exchange_name"),
        ("GET", "/api/exchange/{0}/health", "exchange_name"),
        ("GET", "/api/exchange/credentials/{0}", "credential_id"),
        ("DELETE", "/api/exchange/credentials/{0}", "credential_id"),
        ("GET", "/api/exchange/credentials/{0}/events", "credential_id"),
        ("PUT", "/api/exchange/credentials/{0}", "credential_id"),
    ];

    private static readonly (string Method, string Path, (string Field, string Json)[] Base)[] BodyEndpoints =
    [
        ("POST", "/api/exchange/credentials", [("exchange_name", "\"binance\""), ("credential_name", "\"Fuzz\""), ("api_key", $"\"{Secrets[0]}\""),
            ("api_secret", $"\"{Secrets[1]}\""), ("api_passphrase", $"\"{Secrets[2]}\""), ("permissions", "[\"read\"]"), ("ip_whitelist", "[\"10.0.0.1\"]"),
            ("exchange_metadata", "{\"testnet\":true}")]),
        ("PUT", $"/api/exchange/credentials/{Guid.NewGuid()}", [("credential_name", "\"Fuzz\""), ("api_key", $"\"{Secrets[0]}\""), ("api_secret", $"\"{Secrets[1]}\""),
            ("api_passphrase", $"\"{Secrets[2]}\""), ("permissions", "[\"read\"]"), ("ip_whitelist", "[\"10.0.0.1\"]"), ("exchange_metadata", "{}"), ("is_active", "true")]),
        // exchange "nope": never a signed call to a real exchange, whatever else the case holds.
        ("POST", "/api/exchange/validate", [("exchange", "\"nope\""), ("api_key", $"\"{Secrets[0]}\""), ("api_secret", $"\"{Secrets[1]}\""), ("api_passphrase", $"\"{Secrets[2]}\"")]),
        ("POST", "/api/exchange/bnb-burn", [("spot_bnb_burn", "true"), ("exchange", "\"binanceus\"")]),
    ];

    [Fact]
    public async Task generated_bad_input_to_every_endpoint_gets_a_documented_4xx_and_never_a_5xx()
    {
        var cases = Generate(new Random(Seed));
        var failures = new List<string>();
        var clock = Stopwatch.StartNew();
        var users = Enumerable.Range(0, 8).Select(i => TestTokens.For($"fuzz-{i}-" + Guid.NewGuid().ToString("N")[..6])).ToArray();
        var http = suite.Gateway.Server.CreateClient();
        http.Timeout = TimeSpan.FromSeconds(30);
        var ran = 0;

        await Parallel.ForEachAsync(cases.Select((c, i) => (c, i)), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (item, ct) =>
        {
            var (c, i) = item;
            using var request = new HttpRequestMessage(c.Method, c.Target);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", users[i % users.Length]);
            if (c.Body is not null)
            {
                request.Content = new ByteArrayContent(c.Body);
                if (c.ContentType is not null) request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(c.ContentType);
            }
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            Interlocked.Increment(ref ran);
            if (Check(c, (int)response.StatusCode, text) is { } problem)
                lock (failures) failures.Add($"{c.Name} {c.Method} {Shorten(c.Target)}: {problem}");
        });

        output.WriteLine($"fuzz: {ran} cases in {clock.Elapsed.TotalSeconds:0.0} s, seed {Seed}, {failures.Count} failures");
        foreach (var f in failures.Take(40)) output.WriteLine(f);
        ran.ShouldBe(cases.Count);
        ran.ShouldBeGreaterThan(2_000);
        failures.ShouldBeEmpty();
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMinutes(3));
    }

    private static string? Check(Case c, int status, string text)
    {
        if (status >= 500) return $"{status} {Shorten(text)}";
        if (!c.Statuses.Contains(status)) return $"{status}, expected {string.Join('/', c.Statuses)}: {Shorten(text)}";
        if (Secrets.Any(text.Contains)) return "the answer echoes a secret: " + Shorten(text);
        if (status != 422) return null;

        JsonNode? body;
        try { body = JsonNode.Parse(text); }
        catch (System.Text.Json.JsonException) { return "422 whose body is not JSON: " + Shorten(text); }
        if (body?["detail"] is not JsonArray detail || detail.Count == 0) return "422 without a detail list: " + Shorten(text);
        foreach (var error in detail)
        {
            if (error is not JsonObject e || e["type"] is not JsonValue || e["msg"] is not JsonValue || e["loc"] is not JsonArray loc || !e.ContainsKey("input"))
                return "422 entry not in pydantic's shape: " + Shorten(error?.ToJsonString() ?? "null");
            if (loc.Count == 0 || loc[0]?.ToString() is not ("body" or "query" or "path")) return "loc does not start with body, query or path: " + loc.ToJsonString();
            // A missing field's error echoes the object that lacks it (its secret values masked, which the scan above checks).
            if (loc.Any(l => l?.ToString() is "api_key" or "api_secret" or "api_passphrase") && e["type"]?.ToString() != "missing"
                && e["input"] is { } input && input.ToString() != "**********")
                return "a secret field's input is echoed: " + e.ToJsonString();
        }
        if (c.Loc is { } expected && !detail.Any(e => e!["loc"]!.AsArray().Select(l => l!.ToString()).Take(expected.Length).SequenceEqual(expected)))
            return $"no error at [{string.Join(", ", expected)}]: " + Shorten(text);
        return null;
    }

    private static string Shorten(string s) => s.Length <= 300 ? s : s[..300] + $"... ({s.Length} chars)";

    // ---- generation -------------------------------------------------------------------------------------------------

    private static List<Case> Generate(Random random)
    {
        var cases = new List<Case>();
        foreach (var endpoint in QueryEndpoints) cases.AddRange(QueryCases(endpoint, random));
        foreach (var (method, template, name) in PathEndpoints) cases.AddRange(PathCases(method, template, name, random));
        foreach (var (method, path, fields) in BodyEndpoints) cases.AddRange(BodyCases(method, path, fields, random));
        cases.Add(new Case("wrong method", HttpMethod.Delete, "/api/exchange/trades", null, null, [405], null));
        cases.Add(new Case("wrong method", HttpMethod.Put, "/api/exchange/validate", null, null, [405], null));
        return cases;
    }

    private static readonly string[] Numbers =
    [
        "-1", "0", "1", "2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296", "9223372036854775807", "9223372036854775808",
        "-9223372036854775809", "18446744073709551616", "1e309", "-1e309", "1e-400", "NaN", "nan", "Infinity", "-Infinity", "inf", "-0", "+5", " 5 ",
        "1.0", "1.5", "1e3", "0x10", "1_000", "1,000", "%D9%A3", "%EF%BC%91%EF%BC%92", "100000", "100001", "1000", "1001",
        "1000000000000000", "1000000000000000.5", "1e15", "79228162514264337593543950336", new string('9', 5000),
    ];

    private static readonly Raw[] Texts =
    [
        new("", false), new("%20", false), new("abc", false), new("true", false), new("null", false), new("%5B%5D", false), new("%7B%7D", false),
        new("2024-13-45", false), new("9999-12-31T23:59:59Z", false), new("0001-01-01", false), new("2024-01-01T00%3A00%3A00%2B14%3A00", false),
        new("%E2%80%8B", false), new("BTC%E2%80%8B%2FUSDT", false), new("%E2%80%AE%D8%A7%D9%84%D8%B9%D8%B1%D8%A8%D9%8A%D8%A9", false),
        new("%F0%9F%92%A9", false), new("e%CC%81", false), new("%EF%BB%BF", false), new("%EF%BF%BF", false), new("%27%3B+DROP+TABLE+x%3B--", false),
        new("..%2F..%2Fetc%2Fpasswd", false), new("%25", false), new("%", false), new("%zz", false), new(new string('a', 1000), false), new(new string('x', 8000), false),
        new("%00", true), new("a%00b", true), new("%FF", true), new("%C0%AF", true), new("%ED%A0%80", true), new("%ED%B0%80x", true), new("%E2%82", true),
        new("%F8%88%80%80%80", true), new("%80", true), new("%FE%FF", true),
    ];

    private const string Alphabet = "abcXYZ019/-_.:+ \u200b\u200d\u202e\u0301\u00e9\u4e2d\u0627\uFEFF\uFFFD";

    /// <summary>A random value: mostly text from an awkward alphabet (zero-width, RTL, combining, BOM), now and then a bad byte.</summary>
    private static Raw RandomRaw(Random random)
    {
        var length = random.Next(0, 60);
        var text = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            if (random.Next(4) == 0) text.Append(char.ConvertFromUtf32(random.Next(0x1F300, 0x1F6FF)));
            else text.Append(Alphabet[random.Next(Alphabet.Length)]);
        }
        var encoded = Uri.EscapeDataString(text.ToString());
        if (random.Next(5) != 0) return new Raw(encoded, false);
        var bad = new[] { "%FF", "%ED%A0%80", "%00", "%C1%BF", "%E0%80%80" }[random.Next(5)];
        return new Raw(encoded.Insert(random.Next(encoded.Length + 1) is var at && IsInsideEscape(encoded, at) ? encoded.Length : at, bad), true);
    }

    private static bool IsInsideEscape(string s, int at) => (at >= 1 && s[at - 1] == '%') || (at >= 2 && s[at - 2] == '%');

    private static IEnumerable<Case> QueryCases(Endpoint endpoint, Random random)
    {
        var method = new HttpMethod(endpoint.Method);
        foreach (var param in endpoint.Query)
        {
            var values = Texts.Concat(Numbers.Select(n => new Raw(n, false))).Concat(Enumerable.Range(0, 12).Select(_ => RandomRaw(random)));
            foreach (var value in values)
            {
                var decoded = value.BadText ? null : Uri.UnescapeDataString(value.Encoded.Replace('+', ' '));
                if (decoded is not null && WouldReachAnExchange(endpoint, param, decoded)) continue;
                var query = string.Join('&', endpoint.Query.Select(p => p == param ? $"{p.Name}={value.Encoded}" : $"{p.Name}={Uri.EscapeDataString(p.Base)}"));
                string[]? loc = value.BadText || (decoded is not null && IsOutOfRange(param, decoded)) ? ["query", param.Name] : null;
                yield return new Case("query " + param.Name, method, endpoint.Path + "?" + query, method == HttpMethod.Post ? [] : null, null,
                    loc is not null ? [422] : [200, 400, 404, 422], loc);
            }
        }
        // Repeated, missing and unknown parameters.
        var all = string.Join('&', endpoint.Query.Select(p => $"{p.Name}={Uri.EscapeDataString(p.Base)}"));
        yield return new Case("no query", method, endpoint.Path, method == HttpMethod.Post ? [] : null, null, [200, 400, 404, 422], null);
        yield return new Case("unknown parameter", method, endpoint.Path + "?" + all + "&zz%FF=1", method == HttpMethod.Post ? [] : null, null, [422], ["query"]);
    }

    /// <summary>Only the bad parts of a query are fuzzed where a good one would have the market service call an exchange.</summary>
    private static bool WouldReachAnExchange(Endpoint endpoint, Param param, string decoded) =>
        (endpoint.Path.EndsWith("/health", StringComparison.Ordinal) && Bitcain.Edge.ParamValues.TryParseBool(decoded, out _))
        || (param.Kind == Kind.Exchange && ExchangeCatalog.TryResolve(decoded.Trim(), out _) && endpoint.Query.Contains(NoExchange));

    private static bool IsOutOfRange(Param param, string decoded)
    {
        switch (param.Kind)
        {
            case Kind.Integer:
                return !long.TryParse(decoded.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l) || l < param.Min || l > param.Max;
            case Kind.Number:
                return !decimal.TryParse(decoded.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) || d <= param.Gt || d > param.NumberMax;
            default:
                return false;
        }
    }

    private static IEnumerable<Case> PathCases(string method, string template, string name, Random random)
    {
        var values = Texts.Where(t => t.Encoded.Length > 0 && !t.Encoded.Contains("%2F") && t.Encoded is not ("%" or "%25"))
            .Concat(Numbers.Select(n => new Raw(Uri.EscapeDataString(n), false)))
            .Concat(Enumerable.Range(0, 12).Select(_ => RandomRaw(random)).Where(r => r.Encoded.Length > 0));
        foreach (var value in values)
        {
            if (!value.BadText && ExchangeCatalog.TryResolve(Uri.UnescapeDataString(value.Encoded), out _)) continue;
            // Kestrel answers a NUL in the path with its own 400 before any middleware (the test server throws instead).
            if (value.Encoded.Contains("%00", StringComparison.Ordinal)) continue;
            var target = string.Format(CultureInfo.InvariantCulture, template, value.Encoded);
            byte[]? body = method == "PUT" ? "{}"u8.ToArray() : null;
            yield return value.BadText
                ? new Case("path " + name, new HttpMethod(method), target, body, body is null ? null : "application/json", [422], ["path", name])
                : new Case("path " + name, new HttpMethod(method), target, body, body is null ? null : "application/json", [404, 405], null);
        }
    }

    private static readonly (string Json, bool BadText)[] Fragments =
    [
        ("null", false), ("true", false), ("false", false), ("0", false), ("-1", false), ("1.5", false), ("2147483648", false), ("9223372036854775808", false),
        ("1e309", false), ("-1e309", false), ("1e-400", false), ("[]", false), ("{}", false), ("[1,2]", false), ("[null]", false), ("[\"read\",\"read\"]", false),
        ("{\"a\":{\"b\":[1,{\"c\":null}]}}", false), ("\"\"", false), ("\" \"", false), ("\"a\"", false), ("\"1234567\"", false), ("\"12345678\"", false),
        ($"\"{new string('n', 100)}\"", false), ($"\"{new string('n', 101)}\"", false), ($"\"{new string('s', 20_000)}\"", false),
        ("\"\\u200b\"", false), ("\"\\u202e\\u0627\"", false), ("\"\\ud83d\\udca9\"", false), ("\"\\ufeff\"", false), ("\"e\\u0301\"", false),
        ("[\"10.0.0.0/33\"]", false), ("[\"::ffff:1.2.3.4/129\"]", false), ("[\"1.2.3\"]", false), ("\"yes\"", false),
        ("\"\\ud800\"", true), ("\"a\\udc00\"", true), ("\"\\ud800\\ud800\"", true), ("\"\\u0000\"", true), ("\"a\\u0000b\"", true),
        ("[\"\\ud800\"]", true), ("{\"k\":\"\\udfff\"}", true), ("{\"\\ud800\":1}", true), ("{\"k\\u0000\":1}", true),
    ];

    private static readonly byte[][] RawStringValues =
    [
        [(byte)'"', 0xFF, (byte)'"'], [(byte)'"', 0xC0, 0xAF, (byte)'"'], [(byte)'"', 0xE2, 0x82, (byte)'"'], [(byte)'"', 0xED, 0xA0, 0x80, (byte)'"'],
        [(byte)'"', (byte)'a', 0x80, (byte)'"'], [(byte)'"', 0xF8, 0x88, 0x80, 0x80, 0x80, (byte)'"'],
    ];

    private static IEnumerable<Case> BodyCases(string method, string path, (string Field, string Json)[] fields, Random random)
    {
        var http = new HttpMethod(method);
        byte[] Object(IEnumerable<(string Field, byte[] Value)> members)
        {
            var bytes = new List<byte> { (byte)'{' };
            var first = true;
            foreach (var (field, value) in members)
            {
                if (!first) bytes.Add((byte)',');
                first = false;
                bytes.AddRange(Encoding.UTF8.GetBytes($"\"{field}\":"));
                bytes.AddRange(value);
            }
            bytes.Add((byte)'}');
            return bytes.ToArray();
        }
        var baseBody = Object(fields.Select(f => (f.Field, Encoding.UTF8.GetBytes(f.Json))));
        int[] anyAnswer = [200, 201, 400, 404, 409, 413, 422];

        foreach (var (field, _) in fields)
        {
            var values = Fragments.Select(f => (Bytes: Encoding.UTF8.GetBytes(f.Json), f.BadText))
                .Concat(RawStringValues.Select(r => (Bytes: r, BadText: true)));
            foreach (var (bytes, bad) in values)
            {
                var body = Object(fields.Select(f => (f.Field, f.Field == field ? bytes : Encoding.UTF8.GetBytes(f.Json))));
                yield return bad
                    ? new Case("body " + field, http, path, body, "application/json", [422], ["body", field])
                    : new Case("body " + field, http, path, body, "application/json", anyAnswer, null);
            }
            // The field left out.
            yield return new Case("body without " + field, http, path, Object(fields.Where(f => f.Field != field).Select(f => (f.Field, Encoding.UTF8.GetBytes(f.Json)))),
                "application/json", anyAnswer, null);
        }

        // Whole bodies that are no object at all, or not JSON.
        var wholes = new List<(string Name, byte[] Body, int Status)>
        {
            ("empty", [], 422), ("blank", "  \n"u8.ToArray(), 422), ("open brace", "{"u8.ToArray(), 422), ("open member", "{\"exchange\":"u8.ToArray(), 422),
            ("array", "[]"u8.ToArray(), 422), ("string", "\"FUZZSECRET-abcdefgh\""u8.ToArray(), 422), ("null", "null"u8.ToArray(), 422),
            ("number", "123"u8.ToArray(), 422), ("NaN", "NaN"u8.ToArray(), 422), ("trailing comma", "{\"a\":1,}"u8.ToArray(), 422),
            ("comment", "{/*x*/}"u8.ToArray(), 422), ("two documents", "{}{}"u8.ToArray(), 422), ("single quotes", "{'a':1}"u8.ToArray(), 422),
            ("bare 0xFF", [0xFF], 422), ("bad bytes outside strings", [(byte)'{', 0xC3, 0x28, (byte)'}'], 422),
            ("deep arrays", Encoding.ASCII.GetBytes(new string('[', 10_000) + new string(']', 10_000)), 422),
            ("deep objects", Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("{\"a\":", 10_000)) + "1" + new string('}', 10_000)), 422),
            ("wide object", Encoding.ASCII.GetBytes("{" + string.Join(',', Enumerable.Range(0, 100_000).Select(i => $"\"k{i}\":{i}")) + "}"), 413),
            ("long string", Encoding.ASCII.GetBytes("{\"api_secret\":\"" + new string('s', 70_000) + "\"}"), 413),
        };
        foreach (var (name, body, status) in wholes)
            yield return new Case("whole body " + name, http, path, body, "application/json", [status], status == 422 ? ["body"] : null);

        // A wide object under the size limit: valid JSON, the fields simply absent or present.
        yield return new Case("whole body wide but small", http, path,
            Encoding.ASCII.GetBytes("{" + string.Join(',', Enumerable.Range(0, 4_000).Select(i => $"\"k{i}\":{i}")) + "}"), "application/json", anyAnswer, null);

        // Truncated somewhere: never a complete JSON document.
        for (var i = 0; i < 12; i++)
        {
            var cut = random.Next(1, baseBody.Length - 1);
            yield return new Case($"truncated at {cut}", http, path, baseBody[..cut], "application/json", [422], ["body"]);
        }

        // Content types: FastAPI reads JSON only under a JSON type (or none); anything else is no object.
        foreach (var type in new[] { "text/plain", "application/xml", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/octet-stream", "text/json" })
            yield return new Case("content type " + type, http, path, baseBody, type, [422], ["body"]);
        foreach (var type in new[] { "application/json; charset=utf-8", "application/vnd.api+json", "APPLICATION/JSON" })
            yield return new Case("content type " + type, http, path, baseBody, type, anyAnswer, null);
        yield return new Case("no content type", http, path, baseBody, null, anyAnswer, null);
    }
}
