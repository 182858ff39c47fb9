using System.Globalization;

namespace Bitcain.ExchangeSimulator.Binance;

/// <summary>Wallet history: crypto deposits and withdrawals on both venues, Binance's dust log, Binance.US's fiat
/// transfers and dust log. Shapes from the wallet pages of developers.binance.com (deposit hisrec, withdraw history,
/// dribblet) and, for Binance.US, from clients of docs.binance.us (ccxt's binanceus map; assetLogRecordList with
/// fiatCurrency/createTime; userDustConvertHistory with "transferred" spelt right, unlike Binance's "transfered").</summary>
internal sealed partial class BinanceExchange
{
    private const long HistoryWindowMs = 90 * DayMs;

    private static readonly BinanceError WindowTooLong = new(400, -1127, "More than 90 days between startTime and endTime.");

    private void AddWalletHistoryRoutes()
    {
        // Weight 1 (IP) for each, as ccxt's maps cost them. Binance counts withdraw history against a separate
        // per-second budget too, which the simulator does not model.
        Add("GET", "/sapi/v1/capital/deposit/hisrec", Security.Signed, Permission.Read, _ => 1, DepositHistory);
        Add("GET", "/sapi/v1/capital/withdraw/history", Security.Signed, Permission.Read, _ => 1, WithdrawHistory);
        if (_venue.HasBinanceDust) Add("GET", "/sapi/v1/asset/dribblet", Security.Signed, Permission.Read, _ => 1, Dribblet);
        if (_venue.HasBinanceUsDust)
        {
            Add("GET", "/sapi/v1/asset/query/dust-logs", Security.Signed, Permission.Read, _ => 1, UsDustLogs);
            Add("GET", "/sapi/v1/fiatpayment/query/deposit/history", Security.Signed, Permission.Read, _ => 1,
                r => FiatHistory(r, r.SignedAccount.History.FiatDeposits));
            Add("GET", "/sapi/v1/fiatpayment/query/withdraw/history", Security.Signed, Permission.Read, _ => 1,
                r => FiatHistory(r, r.SignedAccount.History.FiatWithdrawals));
        }
    }

    /// <summary>The documented rule: startTime defaults to 90 days ago, endTime to now, and the two may be at most 90
    /// days apart; a longer span is refused, not clipped.</summary>
    private static (long Start, long End) HistoryWindow(BinanceRequest r)
    {
        var now = r.Now.ToUnixTimeMilliseconds();
        var end = r.GetLong("endTime") ?? now;
        var start = r.GetLong("startTime") ?? now - HistoryWindowMs;
        if (end - start > HistoryWindowMs) throw new BinanceException(WindowTooLong);
        return (start, end);
    }

    private static (int Offset, int Limit) Page(BinanceRequest r)
    {
        var offset = r.GetLong("offset") ?? 0;
        var limit = r.GetLong("limit") ?? 1000;
        if (limit < 1) throw new BinanceException(BinanceError.InvalidParameter("limit"));
        return ((int)Math.Min(offset, int.MaxValue), (int)Math.Min(limit, 1000));
    }

    /// <summary>GET /sapi/v1/capital/deposit/hisrec: newest first; status 1 = success.</summary>
    private static Task DepositHistory(BinanceRequest r)
    {
        var (start, end) = HistoryWindow(r);
        var (offset, limit) = Page(r);
        var coin = r.Get("coin");
        var txId = r.Get("txId");
        var status = r.GetLong("status");
        var deposits = r.SignedAccount.History.Deposits
            .Where(d => d.InsertTime >= start && d.InsertTime <= end && (coin is null || d.Coin == coin) && (txId is null || d.TxId == txId)
                        && (status is null || status == 1))
            .OrderByDescending(d => d.InsertTime)
            .Skip(offset).Take(limit).ToList();
        return WriteJsonAsync(r.Context, w =>
        {
            w.WriteStartArray();
            foreach (var d in deposits)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("amount", Deterministic.Plain(d.Amount));
                w.WriteString("coin", d.Coin);
                w.WriteString("network", d.Network);
                w.WriteNumber("status", 1);
                w.WriteString("address", d.Address);
                w.WriteString("addressTag", "");
                w.WriteString("txId", d.TxId);
                w.WriteNumber("insertTime", d.InsertTime);
                w.WriteNumber("completeTime", d.InsertTime + 600_000);
                w.WriteNumber("transferType", 0);
                w.WriteString("confirmTimes", "12/12");
                w.WriteNumber("unlockConfirm", 0);
                w.WriteNumber("walletType", 0);
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    /// <summary>GET /sapi/v1/capital/withdraw/history: newest first; status 6 = completed; times as UTC text.</summary>
    private static Task WithdrawHistory(BinanceRequest r)
    {
        var (start, end) = HistoryWindow(r);
        var (offset, limit) = Page(r);
        var coin = r.Get("coin");
        var status = r.GetLong("status");
        var withdrawals = r.SignedAccount.History.Withdrawals
            .Where(d => d.ApplyTime >= start && d.ApplyTime <= end && (coin is null || d.Coin == coin) && (status is null || status == 6))
            .OrderByDescending(d => d.ApplyTime)
            .Skip(offset).Take(limit).ToList();
        return WriteJsonAsync(r.Context, w =>
        {
            w.WriteStartArray();
            foreach (var d in withdrawals)
            {
                w.WriteStartObject();
                w.WriteString("id", d.Id);
                w.WriteString("amount", Deterministic.Plain(d.Amount));
                w.WriteString("transactionFee", Deterministic.Plain(d.Fee));
                w.WriteString("coin", d.Coin);
                w.WriteNumber("status", 6);
                w.WriteString("address", d.Address);
                w.WriteString("txId", d.TxId);
                w.WriteString("applyTime", UtcText(d.ApplyTime));
                w.WriteString("network", d.Network);
                w.WriteNumber("transferType", 0);
                w.WriteString("info", "");
                w.WriteNumber("confirmNo", 12);
                w.WriteNumber("walletType", 0);
                w.WriteString("txKey", "");
                w.WriteString("completeTime", UtcText(d.ApplyTime + 900_000));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }

    private static string UtcText(long ms) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>The last 100 conversions in the optional window, newest first; <c>total</c> counts them all.</summary>
    private static List<BinanceDustConversion> DustLog(BinanceRequest r, out int total)
    {
        var start = r.GetLong("startTime") ?? long.MinValue;
        var end = r.GetLong("endTime") ?? long.MaxValue;
        var all = r.SignedAccount.History.Dust.Where(d => d.OperateTime >= start && d.OperateTime <= end).ToList();
        total = all.Count;
        return all.OrderByDescending(d => d.OperateTime).Take(100).ToList();
    }

    /// <summary>GET /sapi/v1/asset/dribblet (Binance), with its "transfered" spelling.</summary>
    private static Task Dribblet(BinanceRequest r)
    {
        var log = DustLog(r, out var total);
        return WriteJsonAsync(r.Context, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("total", total);
            w.WriteStartArray("userAssetDribblets");
            foreach (var c in log)
            {
                w.WriteStartObject();
                w.WriteNumber("operateTime", c.OperateTime);
                w.WriteString("totalTransferedAmount", BinanceMarkets.F8(c.Details.Sum(d => d.Transferred)));
                w.WriteString("totalServiceChargeAmount", BinanceMarkets.F8(c.Details.Sum(d => d.ServiceCharge)));
                w.WriteNumber("transId", c.TransId);
                w.WriteStartArray("userAssetDribbletDetails");
                foreach (var d in c.Details)
                {
                    w.WriteStartObject();
                    w.WriteNumber("transId", d.TransId);
                    w.WriteString("serviceChargeAmount", BinanceMarkets.F8(d.ServiceCharge));
                    w.WriteString("amount", Deterministic.Plain(d.Amount));
                    w.WriteNumber("operateTime", c.OperateTime);
                    w.WriteString("transferedAmount", BinanceMarkets.F8(d.Transferred));
                    w.WriteString("fromAsset", d.FromAsset);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>GET /sapi/v1/asset/query/dust-logs (Binance.US).</summary>
    private static Task UsDustLogs(BinanceRequest r)
    {
        var log = DustLog(r, out var total);
        return WriteJsonAsync(r.Context, w =>
        {
            w.WriteStartObject();
            w.WriteNumber("total", total);
            w.WriteStartArray("userDustConvertHistory");
            foreach (var c in log)
            {
                w.WriteStartObject();
                w.WriteNumber("operateTime", c.OperateTime);
                w.WriteString("totalServiceChargeAmount", BinanceMarkets.F8(c.Details.Sum(d => d.ServiceCharge)));
                w.WriteString("totalTransferredAmount", BinanceMarkets.F8(c.Details.Sum(d => d.Transferred)));
                w.WriteStartArray("userAssetDribbletDetails");
                foreach (var d in c.Details)
                {
                    w.WriteStartObject();
                    w.WriteString("fromAsset", d.FromAsset);
                    w.WriteString("amount", Deterministic.Plain(d.Amount));
                    w.WriteString("transferredAmount", BinanceMarkets.F8(d.Transferred));
                    w.WriteString("serviceChargeAmount", BinanceMarkets.F8(d.ServiceCharge));
                    w.WriteNumber("operateTime", c.OperateTime);
                    w.WriteNumber("transId", d.TransId);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }

    /// <summary>Binance.US GET /sapi/v1/fiatpayment/query/{deposit,withdraw}/history: <c>{"assetLogRecordList":[...]}</c>.</summary>
    private static Task FiatHistory(BinanceRequest r, IReadOnlyList<BinanceFiatTransfer> transfers)
    {
        var (start, end) = HistoryWindow(r);
        var offset = (int)Math.Min(r.GetLong("offset") ?? 0, int.MaxValue);
        var currency = r.Get("fiatCurrency");
        var orderId = r.Get("orderId");
        var selected = transfers
            .Where(t => t.CreateTime >= start && t.CreateTime <= end && (currency is null || t.Currency == currency) && (orderId is null || t.OrderId == orderId))
            .OrderByDescending(t => t.CreateTime)
            .Skip(offset).ToList();
        return WriteJsonAsync(r.Context, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("assetLogRecordList");
            foreach (var t in selected)
            {
                w.WriteStartObject();
                w.WriteString("orderId", t.OrderId);
                w.WriteString("paymentAccount", "****" + t.OrderId[..4]);
                w.WriteString("paymentChannel", "PRIMETRUST");
                w.WriteString("paymentMethod", "WIRE");
                w.WriteString("orderStatus", "Successful");
                w.WriteString("fiatCurrency", t.Currency);
                w.WriteString("amount", Deterministic.Plain(t.Amount));
                w.WriteString("transactionFee", Deterministic.Plain(t.Fee));
                w.WriteString("platformFee", "0");
                w.WriteNumber("createTime", t.CreateTime);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
    }
}
