using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Bitcain.Exchanges.Binance;

namespace Bitcain.Bench;

/// <summary>
/// <c>--benchmark markets</c>: BenchmarkDotNet over the simulator's full Binance exchangeInfo, the byte path the
/// exchange client takes and the text path (a caller holding a string), then ccxt's <c>parseMarket</c> over the same
/// payload in the same run, so the ratio compares like with like. In process: the payload is fetched once and
/// BenchmarkDotNet does not build a project of its own.
/// </summary>
[MemoryDiagnoser]
public class MarketsBenchmark
{
    internal static byte[] Payload = [];
    private string _text = "";

    [GlobalSetup]
    public void Setup() => _text = System.Text.Encoding.UTF8.GetString(Payload);

    [Benchmark(Baseline = true, Description = "Markets(response bytes)")]
    public int FromBytes() => BinanceParsers.Markets(Payload, 0.001m, 0.001m).Count;

    [Benchmark(Description = "Markets(string)")]
    public int FromText() => BinanceParsers.Markets(_text, 0.001m, 0.001m).Count;

    public static async Task RunAsync(string[] args)
    {
        Payload = await MarketsNormalization.PayloadAsync();
        var symbols = BinanceParsers.Markets(Payload, null, null).Count;
        var config = ManualConfig.CreateMinimumViable()
            .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(15).WithIterationCount(20))
            .AddColumn(StatisticColumn.P95)
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        var summary = BenchmarkRunner.Run<MarketsBenchmark>(config);

        var table = new ResultTable();
        var (ccxt, why) = await MarketsNormalization.RunCcxtAsync(Payload, iterations: 20);
        foreach (var report in summary.Reports.Where(r => r.ResultStatistics is not null))
        {
            var name = $"Bitcain BinanceParsers.{report.BenchmarkCase.Descriptor.WorkloadMethodDisplayInfo} (BenchmarkDotNet median)";
            var perSecond = symbols / (report.ResultStatistics!.Median / 1e9);
            var m = MarketsNormalization.Rate(name, (long)perSecond, TimeSpan.FromSeconds(1));
            table.AddRate(m, ccxt, "markets/s", why);
            if (ccxt is not null) table.WithGoal(3, "issue #17: parsing at native speed");
        }
        table.Print(BenchOptions.Parse(args).ResultsPath);
    }
}
