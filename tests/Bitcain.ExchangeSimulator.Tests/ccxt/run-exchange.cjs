// Runs one ccxt exchange class against the simulator and prints what it read as one JSON line:
// {exchange, markets, ticker: {symbol, last}, balance: {CODE: "total"}, trades: [{id, symbol}]}, or an error with the stage it
// stopped at. Driven by CcxtTests.cs; by hand:
//   NODE_PATH=/tmp/bitcain-ccxt-4.5.84/node_modules node run-exchange.cjs '{"ccxtId":"kraken","baseUrl":"http://127.0.0.1:5099/kraken",
//     "apiKey":"...","secret":"...","tickerSymbol":"BTC/USD"}'
// Optional: password (OKX, KuCoin), tradeSymbols (fetchMyTrades per symbol), since, until, limit; CCXT_VERBOSE=1 logs every request.
const ccxt = require('ccxt');

const args = JSON.parse(process.argv[2]);
const base = args.baseUrl.replace(/\/$/, '');

// Every API host ccxt knows for the exchange goes to the simulator's prefix; the path after the host stays the real one.
function redirect(urls) {
    if (typeof urls === 'string') return urls.replace(/^(https?|wss?):\/\/[^/]+/, base);
    if (Array.isArray(urls)) return urls.map(redirect);
    if (urls && typeof urls === 'object') return Object.fromEntries(Object.entries(urls).map(([k, v]) => [k, redirect(v)]));
    return urls;
}

async function main() {
    const exchange = new ccxt[args.ccxtId]({
        apiKey: args.apiKey,
        secret: args.secret,
        password: args.password || undefined,
        enableRateLimit: false,
        timeout: 30000,
    });
    exchange.urls.api = redirect(exchange.urls.api);
    exchange.verbose = process.env.CCXT_VERBOSE === '1';
    if (args.ccxtId === 'coinbase') {
        // ccxt's coinbase builds the token's uri by stripping only "https://" from the URL; against plain http that
        // would leave "http://" in it, which Coinbase (and the simulator) would refuse as a wrong uri.
        const createAuthToken = exchange.createAuthToken.bind(exchange);
        exchange.createAuthToken = (seconds, method, url, ...rest) =>
            createAuthToken(seconds, method, url && url.replace(/^http:\/\//, ''), ...rest);
    }
    // Every answer that was not a success, even one ccxt tolerates (it treats some listings as optional), so the test
    // can tell an endpoint the simulator lacks from one it answers.
    const out = { exchange: args.ccxtId, httpErrors: [] };
    const handleRestResponse = exchange.handleRestResponse.bind(exchange);
    exchange.handleRestResponse = (response, url, method, ...rest) => {
        if (response.status >= 400) out.httpErrors.push(`${method} ${url.replace(base, '')} ${response.status}`);
        return handleRestResponse(response, url, method, ...rest);
    };
    let stage = 'loadMarkets';
    try {
        const markets = await exchange.loadMarkets();
        out.markets = Object.keys(markets).length;
        stage = 'fetchTicker';
        const ticker = await exchange.fetchTicker(args.tickerSymbol);
        out.ticker = { symbol: ticker.symbol, last: ticker.last };
        stage = 'fetchBalance';
        const balance = await exchange.fetchBalance();
        out.balance = Object.fromEntries(Object.entries(balance.total || {}).filter(([, v]) => v !== undefined && v !== 0)
            .map(([k, v]) => [k, String(v)]));
        stage = 'fetchMyTrades';
        out.trades = [];
        for (const symbol of args.tradeSymbols || [undefined]) {
            const trades = await exchange.fetchMyTrades(symbol, args.since ?? undefined, args.limit ?? undefined, args.until ? { until: args.until } : {});
            out.trades.push(...trades.map(t => ({ id: String(t.id), symbol: t.symbol })));
        }
    } catch (e) {
        out.error = { stage, type: e.constructor.name, message: String(e.message).slice(0, 2000) };
    }
    process.stdout.write(JSON.stringify(out) + '\n');
}

main();
