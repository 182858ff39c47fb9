namespace Bitcain.AppHost.Orchestration;

/// <summary>One writer for everything the AppHost and its children print, so lines from concurrent
/// sources never interleave mid-line. Every line says where it came from: <c>[gateway] ...</c>.</summary>
public sealed class ConsoleLog
{
    private readonly Lock gate = new();

    public void Line(string source, string text)
    {
        lock (gate)
            Console.Out.WriteLine($"[{source}] {text}");
    }

    public void Info(string text) => Line("apphost", text);

    public void Error(string text)
    {
        lock (gate)
        {
            Console.Out.Flush();
            foreach (var line in text.Split('\n'))
                Console.Error.WriteLine($"[apphost] {line}");
        }
    }

    /// <summary>A block printed as is, such as the table of what runs where.</summary>
    public void Block(string text)
    {
        lock (gate)
            Console.Out.WriteLine(text);
    }
}
