namespace Bitcain.Exchanges.Http;

/// <summary>
/// One caller at a time per key (a nonce must reach the exchange in the order it was taken). A key's entry lives only
/// while someone holds or waits for it, so keys seen once (a validation of a random key) leave nothing behind.
/// </summary>
public sealed class KeyedGate
{
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);

    public int TrackedKeys
    {
        get { lock (entries) return entries.Count; }
    }

    public async ValueTask<IDisposable> EnterAsync(string key, CancellationToken ct)
    {
        Entry entry;
        lock (entries)
        {
            if (!entries.TryGetValue(key, out entry!)) entries[key] = entry = new Entry();
            entry.Users++;
        }
        try
        {
            await entry.Semaphore.WaitAsync(ct).ConfigureAwait(false);
        }
        catch
        {
            Leave(key, entry);
            throw;
        }
        return new Held(this, key, entry);
    }

    private void Leave(string key, Entry entry)
    {
        lock (entries)
            if (--entry.Users == 0) entries.Remove(key);
    }

    private sealed class Entry
    {
        public readonly SemaphoreSlim Semaphore = new(1, 1);
        public int Users;
    }

    private sealed class Held(KeyedGate gate, string key, Entry entry) : IDisposable
    {
        private int disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 1) return;
            entry.Semaphore.Release();
            gate.Leave(key, entry);
        }
    }
}
