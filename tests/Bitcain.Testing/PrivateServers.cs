namespace Bitcain.Testing;

internal static class PrivateServers
{
    public static Task<(string Postgres, string RabbitMq)> StartOrUseEnvironmentAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("BITCAIN_TEST_POSTGRES");
        var rabbit = Environment.GetEnvironmentVariable("BITCAIN_TEST_RABBITMQ");
        if (!string.IsNullOrWhiteSpace(postgres) && !string.IsNullOrWhiteSpace(rabbit))
            return Task.FromResult((postgres, rabbit));
        throw new InvalidOperationException("BITCAIN_TEST_POSTGRES and BITCAIN_TEST_RABBITMQ are not set");
    }
}
