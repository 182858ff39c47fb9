namespace Bitcain.AppHost.Orchestration;

/// <summary>A failure the AppHost explains itself: a message for the user and, when a process failed,
/// the last lines it printed. Anything else is a bug and shows its stack trace.</summary>
public sealed class AppHostFailure(string message, string? lastLines = null) : Exception(message)
{
    public string? LastLines { get; } = lastLines;
}
