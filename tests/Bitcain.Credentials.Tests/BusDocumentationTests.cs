using System.Text.RegularExpressions;
using Bitcain.Contracts;
using Bitcain.ServiceDefaults;
using Shouldly;
using Xunit;

namespace Bitcain.Credentials.Tests;

/// <summary>
/// Other systems read the README's queue table to know what they may send where; routing now follows each message's
/// kind, so the table is held to <see cref="BusTopology.QueueFor"/> over every contract message, both ways.
/// </summary>
public sealed class BusDocumentationTests
{
    private static readonly Regex Name = new(@"`([a-z0-9-]+\.v\d+)`");

    /// <summary>The rows of "Commands and queries (queue → message → reply ...)": queue, and every message name in the row.</summary>
    private static Dictionary<string, IReadOnlyList<string>> ReadmeQueues()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Bitcain.sln"))) root = root.Parent;
        var lines = File.ReadAllLines(Path.Combine(root!.FullName, "README.md"));
        var start = Array.FindIndex(lines, l => l.StartsWith("Commands and queries (queue", StringComparison.Ordinal));
        start.ShouldBeGreaterThan(0, "README's section \"The message bus, for other systems\" lists the queues");
        var rows = new Dictionary<string, IReadOnlyList<string>>();
        foreach (var line in lines.Skip(start + 1).SkipWhile(l => !l.StartsWith('|')).TakeWhile(l => l.StartsWith('|')))
        {
            var cells = line.Split('|', StringSplitOptions.TrimEntries);
            if (cells.Length < 3 || !cells[1].StartsWith("`bitcain.", StringComparison.Ordinal)) continue;
            var queue = cells[1].Trim('`');
            var prefix = string.Join('.', queue.Split('.')[..2]) + ".";
            rows[queue] = Name.Matches(cells[2]).Select(m => prefix + m.Groups[1].Value).ToList();
        }
        return rows;
    }

    [Fact]
    public void the_readme_lists_every_command_and_query_under_the_queue_its_kind_sends_it_to()
    {
        var documented = ReadmeQueues();
        foreach (var message in BusRouting.ContractMessages.Where(t => BusTopology.QueueFor(t) is not null))
        {
            var queue = BusTopology.QueueFor(message)!;
            var name = BitcainMessaging.MessageName(message);
            documented.ShouldContainKey(queue);
            documented[queue].ShouldContain(name, $"README lists {name} under `{queue}`, where it is routed");
        }
    }

    [Fact]
    public void every_name_in_the_readme_queue_table_is_a_message_of_that_queue_or_a_reply()
    {
        var byName = BusRouting.ContractMessages.ToDictionary(BitcainMessaging.MessageName);
        foreach (var (queue, names) in ReadmeQueues())
        foreach (var name in names)
        {
            byName.ShouldContainKey(name, $"README names {name}, which no contract message is");
            var type = byName[name];
            if (!typeof(IServiceReply).IsAssignableFrom(type))
                BusTopology.QueueFor(type).ShouldBe(queue, $"README lists {name} under `{queue}`");
        }
    }
}
