using Microsoft.Playwright;

// Bitcain.Screenshot <dashboard login url> <trace id> <png>: logs in to Aspire's dashboard with the URL the AppHost
// printed, opens the trace of one request and saves what the dashboard shows. ops/screenshot.sh makes the request
// (with a traceparent of its own, so it knows the trace id) and runs this.
if (args is not [var loginUrl, var traceId, var output])
{
    Console.Error.WriteLine("usage: Bitcain.Screenshot <dashboard login url> <trace id> <output.png>");
    return 2;
}
// Playwright cannot download its own browser here; Debian's chromium (ops/setup.sh chromium) does the job.
var chromium = Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";
var origin = new Uri(loginUrl).GetLeftPart(UriPartial.Authority);

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new()
{
    ExecutablePath = chromium,
    Headless = true,
    // As root in a container chromium refuses to start sandboxed; the page is our own dashboard on loopback.
    Args = ["--no-sandbox"],
});
var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1600, Height = 1000 } });
await page.GotoAsync(loginUrl);

// The services export their spans in batches (every few seconds): ask again until the trace has arrived whole
// enough to show the gateway's span and the one of the service that answered over the bus.
var deadline = DateTime.UtcNow.AddSeconds(90);
while (true)
{
    await page.GotoAsync($"{origin}/traces/detail/{traceId}");
    await page.WaitForTimeoutAsync(3000);
    var body = await page.InnerTextAsync("body");
    var services = new[] { "gateway", "credentials", "market", "sync" }.Count(s => body.Contains(s, StringComparison.Ordinal));
    if (services >= 2 || DateTime.UtcNow > deadline)
    {
        if (services < 2)
            Console.Error.WriteLine($"The trace {traceId} shows fewer than two services after 90 s; saving what there is.");
        break;
    }
}
await page.ScreenshotAsync(new() { Path = output, FullPage = true });
Console.WriteLine($"saved {output}");
return 0;
