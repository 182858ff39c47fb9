using Bitcain.ExchangeSimulator;

// Standalone: dotnet run --project tests/Bitcain.ExchangeSimulator -- --urls http://127.0.0.1:5099
// Options bind from configuration, e.g. --Simulator:Binance:RequestWeightPerMinute=100
// Without --urls (or the ASPNETCORE_* variables an orchestrator such as the AppHost sets) it listens on 127.0.0.1:5099.
var options = new SimulatorOptions();
var addressGiven = args.Any(a => a.StartsWith("--urls", StringComparison.Ordinal) || a.StartsWith("--http_ports", StringComparison.Ordinal))
    || new[] { "ASPNETCORE_URLS", "ASPNETCORE_HTTP_PORTS", "HTTP_PORTS", "URLS" }.Any(v => !string.IsNullOrEmpty(Environment.GetEnvironmentVariable(v)));
if (!addressGiven) options.Port = 5099;
var app = SimulatorApp.Build(options, args, bindFromOptions: !addressGiven);
app.Run();
