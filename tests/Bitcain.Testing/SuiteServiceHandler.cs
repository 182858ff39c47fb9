using Alba;

namespace Bitcain.Testing;

/// <summary>
/// The gateway's way to the services of the suite: discovery names them <c>http://&lt;service&gt;.suite</c>, and each
/// request goes through the whole ASP.NET Core pipeline of the host that runs that service now (a stopped and
/// restarted host included). A stopped host is what a refused connection is on a network.
/// </summary>
public sealed class SuiteServiceHandler(BitcainSuite suite) : HttpMessageHandler
{
    public const string Domain = ".suite";

    public static IEnumerable<KeyValuePair<string, string>> DiscoveryEnvironment() =>
        new[] { "credentials", "sync", "market" }.Select(name => new KeyValuePair<string, string>($"services__{name}__http__0", $"http://{name}{Domain}"));

    private long _asked;

    /// <summary>Requests the gateway sent to the services this way: a test sees the read path taken.</summary>
    public long Asked => Interlocked.Read(ref _asked);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Interlocked.Increment(ref _asked);
        IAlbaHost? host = request.RequestUri!.Host switch
        {
            "credentials" + Domain => suite.Credentials,
            "sync" + Domain => suite.Sync,
            "market" + Domain => suite.Market,
            _ => null,
        };
        if (host is null) throw new HttpRequestException(HttpRequestError.NameResolutionError, $"no service {request.RequestUri.Host} in the suite");
        try
        {
            using var invoker = new HttpMessageInvoker(host.Server.CreateHandler(), disposeHandler: true);
            return await invoker.SendAsync(request, cancellationToken);
        }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException)
        {
            throw new HttpRequestException(HttpRequestError.ConnectionError, $"{request.RequestUri.Host} is stopped", e);
        }
    }
}
