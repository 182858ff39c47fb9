using Bitcain.ExchangeSimulator;

// Standalone: dotnet run --project tests/Bitcain.ExchangeSimulator -- --urls http://127.0.0.1:5099
// Options bind from configuration, e.g. --Simulator:Binance:RequestWeightPerMinute=100
var options = new SimulatorOptions();
var urlsGiven = args.Any(a => a.StartsWith("--urls", StringComparison.Ordinal))
    || Environment.GetEnvironmentVariable("ASPNETCORE_URLS") is not null;
if (!urlsGiven) options.Port = 5099;
var app = SimulatorApp.Build(options, args, bindFromOptions: !urlsGiven);
app.Run();
