using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Shouldly;
using Xunit;

namespace Bitcain.EndToEnd.Tests.Client;

/// <summary>
/// The gateway's <c>/docs</c> page (Scalar) in a real browser: it loads the document, and a request run from the page
/// reaches the gateway and its answer is shown. The browser is Debian's chromium (ops/setup.sh installs it); Playwright
/// cannot download one here.
/// </summary>
[Collection(SimulatedCollection.Name)]
public sealed partial class DocsPageTests(SimulatedSuite simulated)
{
    /// <summary>What the browser takes for the gateway's address; every request to it is answered by the suite's gateway.</summary>
    private const string Origin = "http://localhost:5080";

    [ChromiumFact]
    public async Task the_docs_page_runs_a_health_request_against_the_gateway_and_shows_its_answer()
    {
        var gateway = simulated.Suite.Gateway.Server.CreateClient();
        var relayed = new ConcurrentQueue<string>();
        var elsewhere = new ConcurrentQueue<string>();

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = ChromiumFactAttribute.Executable,
            Headless = true,
            // As root in a container chromium refuses to start sandboxed; the page is our own gateway's.
            Args = ["--no-sandbox"],
        });
        var page = await browser.NewPageAsync(new() { ViewportSize = new() { Width = 1400, Height = 1000 } });
        // The suite's gateway runs in memory (no socket): the browser's requests to its address are handed to it here,
        // and anything bound elsewhere (a font CDN, a request proxy) is refused and remembered.
        await page.RouteAsync("**/*", async route =>
        {
            var request = route.Request;
            if (!request.Url.StartsWith(Origin + "/", StringComparison.Ordinal))
            {
                elsewhere.Enqueue(request.Url);
                await route.AbortAsync();
                return;
            }
            relayed.Enqueue($"{request.Method} {request.Url[Origin.Length..]}");
            try
            {
                // The gateway sees the address the browser used (its redirects and links stay on it).
                using var forwarded = new HttpRequestMessage(new HttpMethod(request.Method), new Uri(request.Url));
                if (request.PostDataBuffer is { } body) forwarded.Content = new ByteArrayContent(body);
                foreach (var (name, value) in await request.AllHeadersAsync())
                {
                    if (name.StartsWith(':') || name is "host" or "content-length" or "accept-encoding") continue;
                    if (!forwarded.Headers.TryAddWithoutValidation(name, value)) forwarded.Content?.Headers.TryAddWithoutValidation(name, value);
                }
                using var answer = await gateway.SendAsync(forwarded);
                var headers = answer.Headers.Concat(answer.Content.Headers)
                    .Where(h => !h.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                    .ToDictionary(h => h.Key, h => string.Join(", ", h.Value));
                var bytes = await answer.Content.ReadAsByteArrayAsync();
                relayed.Enqueue($"  {(int)answer.StatusCode} {bytes.Length} bytes");
                await route.FulfillAsync(new() { Status = (int)answer.StatusCode, Headers = headers, BodyBytes = bytes });
            }
            catch (Exception e)
            {
                relayed.Enqueue($"  failed: {e.GetType().Name}: {e.Message}");
                await route.AbortAsync();
            }
        });

        try
        {
            // /docs redirects here; a fulfilled redirect of a navigation is not followed the way the network's would be.
            var docs = await page.GotoAsync($"{Origin}/docs/");
            docs.ShouldNotBeNull().Status.ShouldBe(200);
            await page.GetByText("Bitcain exchange API").First.WaitForAsync(new() { Timeout = 60_000 });
            relayed.ShouldContain("GET /openapi.json", "the page loads the gateway's document");

            // The operation "Get Exchanges Health" (GET /api/exchange/health, no token needed): its Test Request button
            // opens Scalar's client, whose Send runs the request from the browser.
            // Scalar renders operations as they come into view: the sidebar's entry brings this one there.
            await page.GetByText("Get Exchanges Health", new() { Exact = true }).First.ClickAsync(new() { Timeout = 30_000 });
            var heading = page.GetByRole(AriaRole.Heading, new() { Name = "Get Exchanges Health", Exact = true }).First;
            await heading.WaitForAsync(new() { Timeout = 30_000 });
            await heading.Locator("xpath=ancestor::*[.//button[contains(@class,'show-api-client-button')]][1]//button[contains(@class,'show-api-client-button')]")
                .First.ClickAsync(new() { Timeout = 30_000 });
            await page.GetByRole(AriaRole.Button, new() { NameRegex = SendButton() }).First.ClickAsync(new() { Timeout = 30_000 });

            var shown = page.Locator("[data-testid=response-body-raw]").First;
            await shown.WaitForAsync(new() { Timeout = 60_000 });
            await Assertions.Expect(shown).ToContainTextAsync("\"checked_at\"", new() { Timeout = 60_000 });
            var text = await shown.InnerTextAsync();
            relayed.ShouldContain(r => r == "GET /api/exchange/health" || r.StartsWith("GET /api/exchange/health?", StringComparison.Ordinal),
                "the request ran from the page through the gateway");
            // What the simulator's exchanges answer the health check: every one of them up.
            StatusOkField().IsMatch(text).ShouldBeTrue(text);
            text.ShouldNotContain("\"down\"");
            foreach (var exchange in simulated.Sim.Exchanges) text.ShouldContain($"\"{exchange}\"");
            await Assertions.Expect(page.GetByText(StatusOk()).First).ToBeVisibleAsync();
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException or ShouldAssertException)
        {
            var screenshot = Path.Combine(Path.GetTempPath(), $"bitcain-docs-{Guid.NewGuid():N}.png");
            await page.ScreenshotAsync(new() { Path = screenshot, FullPage = false });
            var body = await page.InnerTextAsync("body");
            var buttons = await page.EvaluateAsync<string[]>("() => [...document.querySelectorAll('button')].filter(b => b.offsetParent).map(b => (b.className + ': ' + (b.getAttribute('aria-label') || b.innerText)).slice(0, 120))");
            throw new ShouldAssertException(
                $"{e.Message}\nscreenshot: {screenshot}\nrelayed: {string.Join(", ", relayed)}\nrefused: {string.Join(", ", elsewhere)}\nbuttons:\n{string.Join("\n", buttons)}\npage text:\n{body[..Math.Min(body.Length, 4000)]}", e);
        }
    }

    [GeneratedRegex("^Send", RegexOptions.IgnoreCase)]
    private static partial Regex SendButton();

    [GeneratedRegex(@"""status"":\s*""ok""")]
    private static partial Regex StatusOkField();

    [GeneratedRegex(@"\b200\b")]
    private static partial Regex StatusOk();
}

/// <summary>A fact that needs Debian's chromium: skipped, saying why, only where it is not installed.</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public static string Executable => Environment.GetEnvironmentVariable("CHROMIUM") ?? "/usr/bin/chromium";

    public ChromiumFactAttribute()
    {
        if (!File.Exists(Executable))
            Skip = $"chromium is not installed at {Executable} (bash ops/setup.sh installs Debian's; CHROMIUM names another)";
    }
}
