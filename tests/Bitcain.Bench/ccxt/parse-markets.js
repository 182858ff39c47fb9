// Parses a Binance exchangeInfo payload into unified markets with ccxt, the same work Bitcain's
// BinanceParsers.Markets does, and prints how long it took. Run by the bench with the same payload.
const fs = require('fs');
const ccxt = require('ccxt');

const [payloadFile, iterationsText] = process.argv.slice(2);
const payload = fs.readFileSync(payloadFile, 'utf8');
const iterations = parseInt(iterationsText, 10);
const exchange = new ccxt.binance();
// fetchMarkets loads these margin lists before parsing; without a network they are empty.
exchange.options.crossMarginPairsData = [];
exchange.options.isolatedMarginPairsData = [];

const parse = () => JSON.parse(payload).symbols.map((m) => exchange.parseMarket(m));
// Warmed for as long as Bitcain's parser is (3 s), so both are measured after their optimizing compilers ran.
const warmUntil = process.hrtime.bigint() + 3000000000n;
while (process.hrtime.bigint() < warmUntil) parse();

let markets = 0;
const start = process.hrtime.bigint();
for (let i = 0; i < iterations; i++) markets += parse().length;
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(JSON.stringify({ markets, seconds }));
