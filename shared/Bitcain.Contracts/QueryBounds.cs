namespace Bitcain.Contracts;

/// <summary>
/// The largest page, the deepest offset and the largest amount a query serves. The gateway refuses more (422); the services clamp to
/// them on their own, because a bus client reaches them without the gateway. An offset pages through rows the service
/// must still read (audit queries read offset+limit events to merge), so it is bounded too: past 100,000 a caller
/// narrows the dates instead.
/// </summary>
public static class QueryBounds
{
    public const int MaxLimit = 1000;
    public const int MaxOffset = 100_000;

    /// <summary>Pages of the exchanges' own trade lists are smaller still; this is only the most a sync may ask for.</summary>
    public const int MaxTradePageSize = 1000;

    /// <summary>Route sizes are amounts of one asset: nothing held or traded comes near 10^15 units.</summary>
    public const decimal MaxRouteSize = 1_000_000_000_000_000m;

    /// <summary>
    /// <c>GET /api/exchange/credentials/{id}/events</c> has no paging in the contract; a credential's stream grows with every
    /// change, so the newest this many are answered (a year of hourly key rotations fits).
    /// </summary>
    public const int MaxCredentialEvents = 10_000;

    public static int Limit(int requested) => Math.Clamp(requested, 1, MaxLimit);

    public static int Offset(int requested) => Math.Clamp(requested, 0, MaxOffset);

    /// <summary>How many rows serve offset+limit: at most 101,000, so the sum cannot overflow and never reaches every row.</summary>
    public static int Window(int offset, int limit) => Offset(offset) + Limit(limit);
}
